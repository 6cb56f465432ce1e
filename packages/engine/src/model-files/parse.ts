import { InlayError } from '@inlay/core';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { ModelFile } from './read.js';

/** A parsed model file plus where each value sits, so later stages can name the line. */
export interface ParsedFile {
  path: string;
  data: unknown;
  /** Line (1-based) of a value by its JSON path, e.g. `cubes.0.dimensions.3.sql`. */
  lineOf(pathParts: readonly (string | number)[]): number | undefined;
}

export function parseModelFile(file: ModelFile): ParsedFile {
  if (file.content === undefined) {
    return { path: file.path, data: file.object, lineOf: () => undefined };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(file.content, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0]?.line;
    throw new InlayError('MODEL_INVALID', `YAML syntax error: ${firstError.message.split('\n')[0]}`, {
      where: { file: file.path, ...(line ? { line } : {}) },
      hint: 'Check the indentation and quoting on that line.',
    });
  }
  const lines = new Map<string, number>();
  const visit = (node: Node | null | undefined, at: string) => {
    if (!node) return;
    if (node.range) lines.set(at, lineCounter.linePos(node.range[0]).line);
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const child = at ? `${at}.${key}` : key;
        const keyNode = pair.key as Node | null;
        if (keyNode?.range) lines.set(child, lineCounter.linePos(keyNode.range[0]).line);
        visit(pair.value as Node | null, child);
        if (keyNode?.range) lines.set(`${child}#key`, lineCounter.linePos(keyNode.range[0]).line);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        visit(item as Node, at ? `${at}.${i}` : String(i));
      });
    }
  };
  visit(doc.contents as Node, '');
  return {
    path: file.path,
    data: doc.toJS(),
    lineOf(parts) {
      // Walk up to the nearest path that has a position (an unknown key has one; its value may not).
      for (let n = parts.length; n >= 0; n--) {
        const key = parts.slice(0, n).join('.');
        const line = lines.get(`${key}#key`) ?? lines.get(key);
        if (line !== undefined) return line;
      }
      return undefined;
    },
  };
}
