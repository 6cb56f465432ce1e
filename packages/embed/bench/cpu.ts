/**
 * Who used the CPU during a navigation, from /proc (10 ms resolution): Chromium (every process
 * below this one named chromium/chrome: browser, renderer, network, GPU), the Inlay server
 * process, and the whole machine (so what everything else on it took shows too). On 2 cores the
 * browser, the server and DuckDB share what the machine's other work leaves.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const TICK_MS = 10;

interface ProcStat {
  pid: number;
  ppid: number;
  name: string;
  cpuMs: number;
}

function readStat(pid: string): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    // After the name: state ppid … utime (12th) stime (13th).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid: Number(pid), ppid: Number(f[1]), name, cpuMs: (Number(f[11]) + Number(f[12])) * TICK_MS };
  } catch {
    return undefined; // exited while we looked
  }
}

/** Every Chromium process started by this one (Playwright runs it as our child). */
function chromiumProcesses(): ProcStat[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(readStat)
    .filter((s): s is ProcStat => s !== undefined);
  const children = new Map<number, ProcStat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const found: ProcStat[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      if (/chrom/i.test(c.name)) found.push(c);
      walk(c.pid);
    }
  };
  walk(process.pid);
  return found;
}

/** CPU ms of every Chromium process started by this one. */
export function chromiumCpuMs(): number {
  return chromiumProcesses().reduce((sum, p) => sum + p.cpuMs, 0);
}

/**
 * Lowers the CPU share of Chromium's scheduler group (Playwright starts it in its own session, so
 * with autogroup scheduling it gets half of a busy machine whatever its nice value). Returns what
 * it did, for the output.
 */
export function niceChromiumGroup(nice: number): string {
  const browser = chromiumProcesses()[0];
  if (!browser) throw new Error('no Chromium process found to lower');
  writeFileSync(`/proc/${browser.pid}/autogroup`, String(nice));
  return readFileSync(`/proc/${browser.pid}/autogroup`, 'utf8').trim();
}

/** CPU ms the whole machine was busy (all cores; idle and I/O wait excluded). */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, , , irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number) as number[];
  return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) * TICK_MS;
}
