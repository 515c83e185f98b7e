/**
 * Loads, checks and compiles the templates of every rule in use, collecting
 * every problem (missing file, syntax error, unknown variable, helper or
 * partial) with file:line:col, so staff fix them all in one go.
 *
 * Layout of a templates directory (docs/templates.md):
 *   captions/NAME.hbs            caption (required)
 *   captions/NAME.PLATFORM.hbs   caption for every channel of a platform (optional, e.g. NAME.x.hbs, shorter for X)
 *   captions/NAME.CHANNEL.hbs    caption for one channel id (optional; wins over the platform's)
 *   cards/NAME.svg.hbs           1080×1350 SVG card (required)
 *   alt/NAME.hbs                 alt text of the card (required; .PLATFORM/.CHANNEL overrides as for captions)
 *   partials/PARTIAL.hbs         shared pieces, `{{> PARTIAL}}`
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { PLATFORM_NAMES, type PlatformName } from '../config/types';
import type { Problem, SourceLocation } from '../errors';
import type { PostKind } from '../plan/types';
import { registerHelpers } from './helpers';
import { checkTemplate } from './template-check';
import type { CompiledTemplate, TemplateGroup, TemplateSet } from './types';

export type { TemplateSet } from './types';

/** A template name a rule refers to, the kind of posts it renders and the channels it goes to. */
export interface TemplateUse {
  name: string;
  kind: PostKind;
  channelIds: string[];
  /**
   * The platform of each channel (channel id → `x`, `instagram`, `generic`):
   * overrides are looked up by channel id, then by platform, and captions are
   * fitted to the platform's limits. A channel left out is taken to be the
   * platform it is named after (`x`, `instagram`), else `generic`.
   */
  platforms?: Readonly<Record<string, PlatformName>>;
  /** Where the rule naming the template is, for "missing file" problems. */
  location?: SourceLocation;
}

export interface LoadTemplatesOptions {
  /**
   * settings.web.publicBaseUrl: cards carry a QR code to it. When set, a card
   * template that shows no verification code (`{{> verify-qr}}`) is warned about.
   */
  publicBaseUrl?: string | null;
}

type Mode = 'text' | 'xml';
type Env = typeof Handlebars;
type Delegate = HandlebarsTemplateDelegate;

interface Parsed {
  ast: hbs.AST.Program;
  file: string;
  source: string;
}

/**
 * Whether a template can show which channel it renders for. Textual on purpose:
 * any reference (`post.channelId`, `../post.channelId`, `lookup post "channelId"`)
 * spells the name, so a false "no" is impossible; a false "yes" only costs speed.
 */
function readsChannel(source: string): boolean {
  return source.includes('channelId');
}

/**
 * Whether a card template, or a partial it calls (at any depth), paints
 * `verify.qr`. Textual, like `readsChannel`: only a warning depends on it.
 */
function drawsVerifyQr(source: string, partials: ReadonlyMap<string, Parsed>): boolean {
  const seen = new Set<string>();
  const pending = [source];
  while (pending.length > 0) {
    const text = pending.pop()!;
    if (text.includes('verify.qr')) return true;
    for (const match of text.matchAll(/\{\{~?#?>\s*([A-Za-z0-9][A-Za-z0-9._-]*)/g)) {
      const name = match[1]!;
      const partial = partials.get(name);
      if (partial && !seen.has(name)) {
        seen.add(name);
        pending.push(partial.source);
      }
    }
  }
  return false;
}

/** Template and partial names become file names: no path tricks. */
export function isValidTemplateName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) && !name.includes('..');
}

function parseFile(env: Env, file: string, problems: Problem[]): Parsed | null {
  const source = fs.readFileSync(file, 'utf8');
  try {
    return { ast: env.parse(source), file, source };
  } catch (error) {
    problems.push({ location: syntaxErrorLocation(env, error, file), message: syntaxMessage(error), severity: 'error' });
    return null;
  }
}

/**
 * Handlebars reports block mismatches with `lineNumber`/`column` on the error,
 * but the generated parser's "Parse error on line N" only in the message; the
 * lexer's last token position (`yylloc`) gives the column of the offending token.
 */
function syntaxErrorLocation(env: Env, error: unknown, file: string): SourceLocation {
  const e = error as { lineNumber?: number; column?: number };
  if (typeof e.lineNumber === 'number') return { file, line: e.lineNumber, col: (e.column ?? 0) + 1 };
  const lexer = (env as unknown as { Parser: { lexer?: { yylloc?: { first_line: number; first_column: number } } } }).Parser
    .lexer;
  const loc = lexer?.yylloc;
  const fromMessage = /line (\d+)/.exec(String((error as Error).message));
  return {
    file,
    line: loc?.first_line ?? Number(fromMessage?.[1] ?? 1),
    col: (loc?.first_column ?? 0) + 1,
  };
}

/** The parser's names for what it found, in words staff know (the editor shows these as they type). */
const PLAIN_TOKENS: Record<string, string> = {
  INVALID: 'a character that cannot be inside {{ }} here (a {{ closed with a single }, or a stray symbol)',
  EOF: 'the template ends while a {{ }} or a block is still open',
  CLOSE: 'a }} closes nothing here (an empty {{}}, or a name missing before }})',
  OPEN: 'a {{ opens inside another {{ }} that was not closed',
};

function syntaxMessage(error: unknown): string {
  const text = String((error as Error).message ?? error);
  const expecting = /Expecting (.*), got '([^']+)'/.exec(text);
  if (expecting) {
    const plain = PLAIN_TOKENS[expecting[2]!];
    if (plain) return `template syntax error: ${plain}; check the {{ }} around here.`;
    return `template syntax error: unexpected ${expecting[2]} (expected ${expecting[1]!.split(', ').slice(0, 4).join(', ')}…); check the {{ }} around here.`;
  }
  const mismatch = /^(\S+) doesn't match (\S+)/.exec(text);
  if (mismatch) return `template syntax error: {{#${mismatch[1]}}} is closed by {{/${mismatch[2]}}}; close blocks in the order they were opened.`;
  return `template syntax error: ${text.split('\n')[0]}; fix the template syntax.`;
}

/**
 * Compiles now rather than on first render (what `Handlebars.compile` does):
 * a compiler error must surface at load time, not at 14.00 on a Friday.
 */
function compileNow(env: Env, parsed: Parsed, mode: Mode): Delegate {
  const options = { strict: true, noEscape: mode === 'text', data: true };
  const internal = env as unknown as {
    Compiler: new () => { compile(ast: hbs.AST.Program, options: object): unknown };
    JavaScriptCompiler: new () => { compile(environment: unknown, options: object, context: undefined, asObject: true): unknown };
    template(spec: unknown): Delegate;
  };
  const key = `${mode}\n${parsed.source}`;
  let spec = compiledSpecs.get(key);
  if (spec === undefined) {
    const environment = new internal.Compiler().compile(parsed.ast, options);
    spec = new internal.JavaScriptCompiler().compile(environment, options, undefined, true);
    compiledSpecs.set(key, spec);
    while (compiledSpecs.size > MAX_COMPILED_SPECS) compiledSpecs.delete(compiledSpecs.keys().next().value!);
  }
  // The compiled form is the same for the same text; bound to this load's helpers here.
  return internal.template(spec);
}

/**
 * Compiled templates (Handlebars' precompiled form, which any environment can
 * run) by mode and text: compiling is most of a load, and loads repeat the
 * same files — every office of a deployment shares the shipped and shared
 * templates, and the console's caption editor loads them again as staff type.
 */
const compiledSpecs = new Map<string, unknown>();
const MAX_COMPILED_SPECS = 2000;

function wrapTemplate(file: string, source: string, delegate: Delegate, partials: Record<string, Delegate>): CompiledTemplate {
  // Prototype access stays blocked: Handlebars ≥ 4.6 refuses it unless
  // allowProtoPropertiesByDefault is set, which we never do.
  return { file, source, render: (context, data) => delegate(context, data ? { partials, data } : { partials }) };
}


function platformOf(use: TemplateUse, channelId: string): PlatformName {
  const given = use.platforms?.[channelId];
  if (given) return given;
  return (PLATFORM_NAMES as readonly string[]).includes(channelId) ? (channelId as PlatformName) : 'generic';
}

/** Loads every template the uses refer to. `templates` is null when any problem is an error. */
/**
 * Loads every template the uses refer to. `templates` is null when any problem is an error.
 *
 * `templatesDir` may be a list of layers, most specific first (an office's
 * override folder, the deployment's shared folder, the shipped templates):
 * each file is taken from the first layer that has it, and for each channel
 * the first layer holding any caption (or alt text) of the name decides, with
 * the usual NAME.CHANNEL → NAME.PLATFORM → NAME fallback inside that layer.
 * So an office's captions/h-1.hbs also replaces a shared h-1.x.hbs for its X
 * channel: an override is never half applied.
 */
export function loadTemplates(
  templatesDir: string | readonly string[],
  uses: TemplateUse[],
  options: LoadTemplatesOptions = {},
): { templates: TemplateSet | null; problems: Problem[] } {
  const problems: Problem[] = [];
  const env = Handlebars.create();
  registerHelpers(env);
  const layers = [...new Set((typeof templatesDir === 'string' ? [templatesDir] : templatesDir).map((dir) => path.resolve(dir)))];
  const firstLayer = layers[0] ?? path.resolve('templates');
  /** The file `rel` in the first layer that has it. */
  const find = (rel: string): string | undefined => layers.map((dir) => path.join(dir, rel)).find((file) => fs.existsSync(file));

  let partialsReadChannel = false;
  const parsedPartials = new Map<string, Parsed>();
  // The most specific layer's partial of a name wins.
  for (const layer of layers) {
    const partialsDir = path.join(layer, 'partials');
    if (!fs.existsSync(partialsDir)) continue;
    for (const entry of fs.readdirSync(partialsDir).sort()) {
      if (!entry.endsWith('.hbs')) continue;
      const name = entry.slice(0, -'.hbs'.length);
      if (parsedPartials.has(name)) continue;
      const file = path.join(partialsDir, entry);
      if (!isValidTemplateName(name)) {
        problems.push({ location: { file, line: 1, col: 1 }, message: `partial file name "${entry}" is not allowed; use letters, digits, "-" and "_".`, severity: 'error' });
        continue;
      }
      const parsed = parseFile(env, file, problems);
      if (parsed) {
        parsedPartials.set(name, parsed);
        if (readsChannel(parsed.source)) partialsReadChannel = true;
      }
    }
  }
  const partials: Record<Mode, Record<string, Delegate>> = { text: {}, xml: {} };
  for (const [name, parsed] of parsedPartials) {
    partials.text[name] = compileNow(env, parsed, 'text');
    partials.xml[name] = compileNow(env, parsed, 'xml');
  }

  const byName = new Map<string, { kinds: Set<PostKind>; channels: Set<string>; location?: SourceLocation }>();
  const platforms = new Map<string, PlatformName>();
  for (const use of uses) {
    if (!isValidTemplateName(use.name)) {
      problems.push({
        location: use.location,
        subject: use.location ? undefined : `template "${use.name}"`,
        message: `template name "${use.name}" is not allowed: no "/", "\\" or ".."; use letters, digits, "-" and "_" (the files are captions/NAME.hbs, cards/NAME.svg.hbs, alt/NAME.hbs).`,
        severity: 'error',
      });
      continue;
    }
    const entry = byName.get(use.name) ?? { kinds: new Set(), channels: new Set(), location: use.location };
    for (const id of use.channelIds) {
      entry.channels.add(id);
      platforms.set(id, platformOf(use, id));
    }
    entry.kinds.add(use.kind);
    byName.set(use.name, entry);
  }

  const load = (rel: string, kinds: Set<PostKind>, mode: Mode, required: boolean, location?: SourceLocation, layer?: string): CompiledTemplate | null => {
    const found = layer === undefined ? find(rel) : path.join(layer, rel);
    const file = found ?? path.join(firstLayer, rel);
    if (!found) {
      if (required) {
        problems.push({
          location,
          subject: location ? undefined : file,
          message: `missing template file ${file}: create it (see docs/templates.md) or change the rule's template name.`,
          severity: 'error',
        });
      }
      return null;
    }
    const parsed = parseFile(env, file, problems);
    if (!parsed) return null;
    const before = problems.length;
    for (const kind of kinds) problems.push(...checkTemplate({ ast: parsed.ast, file, kind, partials: parsedPartials, card: mode === 'xml' }));
    if (problems.length > before) return null;
    try {
      return wrapTemplate(file, parsed.source, compileNow(env, parsed, mode), partials[mode]);
    } catch (error) {
      problems.push({ location: { file, line: 1, col: 1 }, message: `template cannot be compiled: ${(error as Error).message}`, severity: 'error' });
      return null;
    }
  };

  /**
   * Override of `base` (e.g. `captions/h-1`) for each channel: NAME.CHANNEL.hbs,
   * then NAME.PLATFORM.hbs. Why by platform: a channel `{ id: tw, driver: x }`
   * must get the X-length caption, not the Instagram one. All-digit suffixes are
   * skipped: `alt/weekly.2.hbs` is the alt text of page 2, not of a channel "2".
   */
  const overrides = (base: string, channels: Set<string>, kinds: Set<PostKind>): Map<string, CompiledTemplate> => {
    const found = new Map<string, CompiledTemplate>();
    const byFile = new Map<string, CompiledTemplate | null>();
    for (const channelId of [...channels].sort()) {
      // `kanim-medan/x` (many offices) is overridden as written in its office: NAME.x.hbs.
      const local = channelId.slice(channelId.lastIndexOf('/') + 1);
      const suffixes = [...new Set([channelId, local, platforms.get(channelId)!])].filter((suffix) => isValidTemplateName(suffix) && !/^\d+$/.test(suffix));
      layers: for (const layer of layers) {
        for (const suffix of suffixes) {
          const file = path.join(layer, `${base}.${suffix}.hbs`);
          if (!fs.existsSync(file)) continue;
          if (!byFile.has(file)) byFile.set(file, loadFile(file, kinds));
          const template = byFile.get(file);
          if (template) found.set(channelId, template);
          break layers;
        }
        // This layer's NAME.hbs is the group's own: no override for the channel.
        if (fs.existsSync(path.join(layer, `${base}.hbs`))) break;
      }
    }
    return found;
  };
  /** An override file found by `overrides` (text mode, optional). */
  const loadFile = (file: string, kinds: Set<PostKind>): CompiledTemplate | null => {
    const layer = layers.find((dir) => file.startsWith(dir + path.sep)) ?? firstLayer;
    return load(path.relative(layer, file), kinds, 'text', false, undefined, layer);
  };

  const groups = new Map<string, TemplateGroup>();
  const MAX_CARD_PAGES = 10; // Instagram's carousel limit
  for (const [name, use] of byName) {
    const caption = load(`captions/${name}.hbs`, use.kinds, 'text', true, use.location);
    const card = load(`cards/${name}.svg.hbs`, use.kinds, 'xml', true, use.location);
    const alt = load(`alt/${name}.hbs`, use.kinds, 'text', true, use.location);
    const channelCaptions = overrides(`captions/${name}`, use.channels, use.kinds);
    const channelAlts = overrides(`alt/${name}`, use.channels, use.kinds);
    // Extra pages are numbered from 2 without gaps; a card page needs its alt text.
    const extraPages: TemplateGroup['extraPages'] = [];
    // Extra pages come from the layer of the first card: a card and its pages are designed together.
    const cardLayer = card ? (layers.find((dir) => card.file.startsWith(dir + path.sep)) ?? firstLayer) : firstLayer;
    for (let page = 2; page <= MAX_CARD_PAGES && fs.existsSync(path.join(cardLayer, `cards/${name}.${page}.svg.hbs`)); page++) {
      const pageCard = load(`cards/${name}.${page}.svg.hbs`, use.kinds, 'xml', true, use.location, cardLayer);
      const pageAlt = load(`alt/${name}.${page}.hbs`, use.kinds, 'text', true, use.location);
      const pageAlts = overrides(`alt/${name}.${page}`, use.channels, use.kinds);
      if (pageCard && pageAlt) extraPages.push({ card: pageCard, alt: pageAlt, channelAlts: pageAlts });
    }
    if (options.publicBaseUrl) {
      for (const shown of [card, ...extraPages.map((p) => p.card)]) {
        if (shown && !drawsVerifyQr(shown.source, parsedPartials)) {
          problems.push({
            location: { file: shown.file, line: 1, col: 1 },
            message:
              'this card carries no verification QR code: add {{> verify-qr}} in its footer (docs/templates.md, "The verification code"), or the public cannot check its cards against the office\'s archive and forged cards look like real ones.',
            severity: 'warning',
          });
        }
      }
    }
    const cardsReadChannel = partialsReadChannel || [card, ...extraPages.map((p) => p.card)].some((c) => c !== null && readsChannel(c.source));
    if (caption && card && alt) groups.set(name, { name, kinds: [...use.kinds], caption, channelCaptions, card, alt, channelAlts, extraPages, cardsReadChannel });
  }

  const failed = problems.some((p) => p.severity === 'error');
  return { templates: failed ? null : { dir: firstLayer, groups, platforms, publicBaseUrl: options.publicBaseUrl ?? null }, problems };
}
