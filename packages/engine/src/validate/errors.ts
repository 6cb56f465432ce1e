import { InlayError } from '@inlay/core';

/** Every problem found in a model, reported together so one run fixes them all. */
export class ModelErrors extends InlayError {
  readonly errors: InlayError[];
  constructor(errors: InlayError[]) {
    const first = errors[0]!;
    super(
      'MODEL_INVALID',
      errors.length === 1
        ? first.message
        : `${errors.length} problems in the models:\n${errors.map((e) => `  - ${e.describe()}`).join('\n')}`,
      errors.length === 1
        ? { ...(first.where ? { where: first.where } : {}), ...(first.hint ? { hint: first.hint } : {}) }
        : {},
    );
    this.errors = errors;
  }
}

/** Collects problems while a stage runs, then throws them all at once. */
export class ProblemList {
  readonly items: InlayError[] = [];
  add(e: InlayError): void {
    this.items.push(e);
  }
  throwIfAny(): void {
    if (this.items.length) throw new ModelErrors(this.items);
  }
}
