/**
 * Handlebars compiles the same template text to the same template spec every
 * time, and compiling is most of what loading templates costs (about half a
 * second for the shipped set). Every config load compiles every template again
 * — each re-plan after an edit, every `config import` (twice: to name the
 * office, then to check it), every revision the console checks — although the
 * templates rarely changed. So specs are kept by their text and mode.
 *
 * Only the spec is shared: it is plain functions of the runtime `container`
 * (what Handlebars' precompiled templates are), bound to each load's own
 * environment, helpers and partials by `env.template(spec)`. Compile options
 * are fixed per mode, so text and mode are the whole key. A load whose compile
 * fails caches nothing and reports the error as before.
 */
import type Handlebars from 'handlebars';

export type Mode = 'text' | 'xml';
type Env = typeof Handlebars;

/** Enough for every template of a few dozen offices' overrides; the oldest entry goes first. */
export const MAX_SPECS = 500;
const specs = new Map<string, unknown>();

function optionsFor(mode: Mode): object {
  return { strict: true, noEscape: mode === 'text', data: true };
}

/**
 * Compiles now rather than on first render (what `Handlebars.compile` does):
 * a compiler error must surface at load time, not at 14.00 on a Friday.
 * `source` is the text `ast` was parsed from: the cache key.
 */
export function compileNow(env: Env, ast: hbs.AST.Program, source: string, mode: Mode): HandlebarsTemplateDelegate {
  const internal = env as unknown as {
    Compiler: new () => { compile(ast: hbs.AST.Program, options: object): unknown };
    JavaScriptCompiler: new () => { compile(environment: unknown, options: object, context: undefined, asObject: true): unknown };
    template(spec: unknown): HandlebarsTemplateDelegate;
  };
  const key = `${mode}\0${source}`;
  let spec = specs.get(key);
  if (spec === undefined) {
    const options = optionsFor(mode);
    spec = new internal.JavaScriptCompiler().compile(new internal.Compiler().compile(ast, options), options, undefined, true);
    if (specs.size >= MAX_SPECS) specs.delete(specs.keys().next().value!);
  } else {
    specs.delete(key); // re-inserted below: the most recently used entry is the last one dropped
  }
  specs.set(key, spec);
  return internal.template(spec);
}

/** How many specs are kept (tests). */
export function cachedSpecCount(): number {
  return specs.size;
}

/** Whether `source` in `mode` is compiled already (tests). */
export function isSpecCached(source: string, mode: Mode): boolean {
  return specs.has(`${mode}\0${source}`);
}
