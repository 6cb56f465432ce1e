import { compileModel } from '../src/index.js';
import { DEFAULT_SHAPE, generateModel } from './model-gen.js';
import { type Figure, figure, MB, median, nowNs } from './stats.js';

export interface CompileRun {
  variant: number;
  wallNs: number;
  /** heapUsed after compile and a full GC, minus heapUsed after a full GC before: what the model keeps. */
  heapRetained: number;
  /** heapUsed right after compile (no GC) minus before: a lower bound of the peak heap growth. */
  heapGrowth: number;
  /** rss right after compile minus rss before. */
  rssDelta: number;
  /** Process CPU time (user + system, every thread) during the compile: wall far above it means a busy machine. */
  cpuNs: number;
}

export interface CompileResult {
  figures: Figure[];
  warmup: CompileRun;
  runs: CompileRun[];
  model: { cubes: number; views: number; files: number; chars: number; lines: number };
}

function gcTwice(): void {
  globalThis.gc!();
  globalThis.gc!();
}

function measureOnce(variant: number): CompileRun {
  const generated = generateModel(variant);
  gcTwice();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage.rss();
  const cpu0 = process.cpuUsage();
  const t0 = nowNs();
  const model = compileModel(generated.files);
  const wallNs = nowNs() - t0;
  const cpu = process.cpuUsage(cpu0);
  const rssAfter = process.memoryUsage.rss();
  const heapAfter = process.memoryUsage().heapUsed;
  if (model.cubes.size !== DEFAULT_SHAPE.cubes)
    throw new Error(`generated model compiled to ${model.cubes.size} cubes`);
  gcTwice();
  // The compile cache holds the model: what survives the GC is the compiled model itself.
  const heapRetained = process.memoryUsage().heapUsed - heapBefore;
  return {
    variant,
    wallNs,
    cpuNs: (cpu.user + cpu.system) * 1e3,
    heapRetained,
    heapGrowth: heapAfter - heapBefore,
    rssDelta: rssAfter - rssBefore,
  };
}

/**
 * Figure 1: compiling the generated 500-cube model from YAML text. Every run uses a new variant
 * (fresh content, so the compile cache misses). One cold warm-up run, then `runs` measured.
 */
export function benchModelCompile(runs = 5): CompileResult {
  if (typeof globalThis.gc !== 'function') throw new Error('run node with --expose-gc');
  const sample = generateModel(0);
  // Variants 1000+ are used nowhere else in the process, so the compile cache never has them.
  const base = 1000;
  const warmup = measureOnce(base);
  const measured = Array.from({ length: runs }, (_, i) => measureOnce(base + 1 + i));
  const wall = measured.map((r) => r.wallNs);
  const heap = measured.map((r) => r.heapRetained);
  const rss = measured.map((r) => r.rssDelta);
  return {
    figures: [
      figure('compile.wall', 'compile 500-cube model: wall time (median)', median(wall), 1e9, 'ns', wall),
      figure(
        'compile.heap',
        'compile 500-cube model: retained heap (median)',
        median(heap),
        200 * MB,
        'bytes',
        heap,
      ),
      figure(
        'compile.rss',
        'compile 500-cube model: RSS delta (median)',
        median(rss),
        200 * MB,
        'bytes',
        rss,
      ),
    ],
    warmup,
    runs: measured,
    model: {
      cubes: DEFAULT_SHAPE.cubes,
      views: DEFAULT_SHAPE.views,
      files: sample.files.length,
      chars: sample.chars,
      lines: sample.lines,
    },
  };
}
