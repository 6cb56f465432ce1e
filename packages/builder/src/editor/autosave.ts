import type { Draft } from './document.js';

/**
 * Saves the editor's document shortly after each change (debounced), one save at a time: a
 * change made while a save runs is sent after it, on the base that save returned. A 409 means
 * another editor saved since: autosaving stops (nothing is overwritten) until the page reloads.
 */
export type SaveStatus = 'saved' | 'pending' | 'saving' | 'conflict' | 'error';

export interface SaveState {
  status: SaveStatus;
  /** When the server last stored the draft (ISO). */
  savedAt: string | null;
  message?: string;
}

/** Stores `doc` over the draft saved at `base`; answers the new `draftUpdatedAt`. */
export type SaveDraft = (doc: Draft, base: string | null) => Promise<string>;

export class ConflictError extends Error {}

export class Autosaver {
  #base: string | null;
  #waiting: Draft | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #state: SaveState;

  constructor(
    private readonly save: SaveDraft,
    base: string | null,
    private readonly onState: (state: SaveState) => void,
    private readonly delayMs = 800,
  ) {
    this.#base = base;
    this.#state = { status: 'saved', savedAt: base };
  }

  get state(): SaveState {
    return this.#state;
  }

  /** A new document to save (the latest one wins). */
  schedule(doc: Draft): void {
    if (this.#state.status === 'conflict') return;
    this.#waiting = doc;
    this.#set({ status: 'pending' });
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Saves what is waiting now (before publishing or leaving), after any save in flight. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    while (this.#running) await this.#running;
    const doc = this.#waiting;
    if (!doc || this.#state.status === 'conflict') return;
    this.#waiting = undefined;
    this.#running = this.#send(doc).finally(() => {
      this.#running = undefined;
    });
    await this.#running;
    // Changes made during the save go next; after a failure they wait for the next change or flush.
    if (this.#waiting && this.#state.status === 'pending') await this.flush();
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }

  async #send(doc: Draft): Promise<void> {
    this.#set({ status: 'saving' });
    try {
      this.#base = await this.save(doc, this.#base);
      this.#set({ status: this.#waiting ? 'pending' : 'saved', savedAt: this.#base });
    } catch (err) {
      if (err instanceof ConflictError) {
        this.#waiting = undefined;
        this.#set({ status: 'conflict', message: err.message });
        return;
      }
      // Keep the document: the next change (or flush) tries again.
      this.#waiting ??= doc;
      this.#set({ status: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }

  #set(patch: Partial<SaveState>): void {
    this.#state = { ...this.#state, ...patch };
    if (patch.status !== 'error' && patch.status !== 'conflict') delete this.#state.message;
    this.onState(this.#state);
  }
}
