import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The src/ files a module imports (type-only imports too: a circle of types is still a circle of ideas). */
function importsOf(file: string, known: ReadonlySet<string>): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1] ?? '');
  return specifiers.flatMap((spec) => {
    const base = resolve(dirname(file), spec);
    const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => known.has(candidate));
    return target ? [target] : [];
  });
}

/** Every import circle, each as the list of files around it (found by depth-first search). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

/** Every src/ file that `entry` loads, itself included. */
function reachable(graph: ReadonlyMap<string, readonly string[]>, entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of graph.get(file) ?? []) visit(next);
  };
  visit(entry);
  return seen;
}

describe('the imports of src/', () => {
  const files = sourceFiles(SRC);
  const known = new Set(files);
  const graph = new Map(files.map((file) => [file, importsOf(file, known)]));

  it('form no circle', () => {
    const shown = cycles(graph).map((cycle) => cycle.map((file) => relative(SRC, file)).join(' -> '));
    expect(shown).toEqual([]);
  });

  it('keep the development start-up and the stand-in out of the Lambda entry point', () => {
    const loaded = [...reachable(graph, join(SRC, 'lambda', 'handler.ts'))].map((file) =>
      relative(SRC, file),
    );
    expect(loaded).toContain(join('lambda', 'lambda-handler.ts'));
    expect(loaded.filter((file) => /^(dev|local-cognito)\//.test(file))).toEqual([]);
  });
});

describe('the request core', () => {
  it('imports no transport adapter: adapters import the core, never the reverse', () => {
    const files = sourceFiles(join(SRC, 'http'));
    const known = new Set(sourceFiles(SRC));
    const adapters = files.flatMap((file) =>
      importsOf(file, known)
        .map((target) => relative(SRC, target))
        .filter((target) => /^(node-server|lambda)\//.test(target))
        .map((target) => `${relative(SRC, file)} -> ${target}`),
    );
    expect(adapters).toEqual([]);
  });
});
