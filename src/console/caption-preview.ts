/**
 * Live preview of an edited caption template (issue 9): the console's editor
 * sends the template text as staff type it; this renders it against a real
 * upcoming post of the rule on the channel, with the real loader (syntax and
 * unknown-variable checks with line and column), helpers and partials, and
 * counts the result as the platform does. Nothing is saved.
 *
 * Lookup order: an office's own templates, then the deployment's shared ones,
 * then the shipped ones (render/templates.ts `loadTemplates`). The edit is
 * put in place of a caption file in one of those layers — by default the file
 * the channel's caption comes from now, in its layer (an office override when
 * that is the shipped file: staff never edit what ships) — and the templates
 * load from copies of the layers, so the rest of the lookup is exactly the bot's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { templateUses, templatesFor } from '../app/load-all';
import { planAll } from '../app/plan-all';
import { withRevisionLoaded } from '../app/revision-files';
import { checkCaption } from '../channels/check-post';
import { limitsFor } from '../channels/platform-limits';
import { captionUnit, countForPlatform } from '../channels/text-length';
import { SHIPPED_TEMPLATES_DIR } from '../config/load-offices';
import type { ChannelConfig, Config } from '../config/types';
import type { Problem } from '../errors';
import type { PlannedPost } from '../plan/types';
import { renderCaption } from '../render/caption';
import { loadTemplates } from '../render/templates';
import type { CaptionView, OfficeFilesSource } from './preview';

export type TemplateLayer = 'office' | 'shared' | 'shipped';

/** The caption file a channel's posts of a rule use: where it is in the lookup, and its text. */
export interface CaptionFile {
  layer: TemplateLayer;
  /** Relative to its templates folder: `captions/h-1.x.hbs`. */
  file: string;
  source: string;
}

export interface CaptionEdit {
  ruleId: string;
  /** The channel (as in the office's config, or its local id in a many-office deployment): its platform's limits and overrides apply. */
  channelId: string;
  /** The edited template text. */
  source: string;
  /** Which caption file the text is; default the one the channel uses now (`captionFileInUse`). */
  file?: string;
  /** Which layer it is saved in; default the layer of the file in use (`office` instead of `shipped`). */
  layer?: Exclude<TemplateLayer, 'shipped'>;
  /** The post to render with; default the rule's next post on the channel. */
  postId?: string;
}

/** A template problem in plain words, at its line and column (1-based). */
export interface TemplateError {
  layer: TemplateLayer;
  file: string;
  line: number;
  col: number;
  message: string;
  /** True when it is in the edited text (else in a partial or another file it uses). */
  inEdit: boolean;
}

export type CaptionPreview =
  | { status: 'rendered'; target: { layer: TemplateLayer; file: string }; post: Pick<PlannedPost, 'id' | 'subject' | 'dueAt' | 'channelId'>; caption: CaptionView; problems: Problem[] }
  | { status: 'template-errors'; target: { layer: TemplateLayer; file: string }; errors: TemplateError[] }
  /** The office's files do not load, the rule or channel is unknown, or the rule has no upcoming post on the channel: `message` says which. */
  | { status: 'unavailable'; message: string; problems: Problem[] };

/** How far ahead an upcoming post of the rule is looked for. */
const LOOKAHEAD_DAYS = 62;

interface Layer {
  layer: TemplateLayer;
  dir: string;
  /** The layer's files (relative path → bytes) when `dir` is gone: a revision's own templates, kept by `loadCaptionEditor`. */
  files?: ReadonlyMap<string, Buffer>;
}

/** The office, rule and channel of a caption being edited: loaded once (`loadCaptionEditor`), previewed with at every edit. */
export interface CaptionEditor {
  readonly view: OfficeView;
}

interface OfficeView {
  config: Config;
  officeId: string;
  channel: ChannelConfig;
  templateName: string;
  layers: Layer[];
  inUse: CaptionFile;
}

/** The caption file the channel's posts of the rule use now; undefined when the office does not load or has no such rule or channel. */
export function captionFileInUse(source: OfficeFilesSource, ruleId: string, channelId: string, now: Date): CaptionFile | undefined {
  return withOffice(source, ruleId, channelId, now, (view) => ('message' in view ? undefined : view.inUse));
}

/** Renders the edited caption template against a real upcoming post; nothing is stored. */
export function previewCaptionTemplate(source: OfficeFilesSource, edit: CaptionEdit, options: { now: Date }): CaptionPreview {
  return withOffice(source, edit.ruleId, edit.channelId, options.now, (view): CaptionPreview => ('message' in view ? { status: 'unavailable', ...view } : previewWithView(view, edit, options.now)));
}

/**
 * The office's caption editing context for the rule and channel, loaded once:
 * its files are loaded (and their templates compiled) a tenth of a second and
 * more, so a live preview as staff type loads them once per revision and then
 * only the edited templates (`previewCaptionEdit`). The revision's own template
 * folders are kept in memory; shared and shipped ones are read where they are.
 */
export function loadCaptionEditor(source: OfficeFilesSource, ruleId: string, channelId: string, now: Date): CaptionEditor | { status: 'unavailable'; message: string; problems: Problem[] } {
  return withOffice(source, ruleId, channelId, now, (view, dir) => {
    if ('message' in view) return { status: 'unavailable', ...view };
    const inside = (layerDir: string): boolean => !path.relative(dir, layerDir).startsWith('..') && !path.isAbsolute(path.relative(dir, layerDir));
    const layers = view.layers.map((layer) => (inside(layer.dir) ? { ...layer, files: readLayer(layer.dir) } : layer));
    return { view: { ...view, layers } };
  });
}

/** `previewCaptionTemplate` with the editor loaded before: the same result. */
export function previewCaptionEdit(editor: CaptionEditor, edit: CaptionEdit, options: { now: Date }): CaptionPreview {
  return previewWithView(editor.view, edit, options.now);
}

/** The caption file the editor's channel uses for its rule now. */
export function editorCaptionFile(editor: CaptionEditor): CaptionFile {
  return editor.view.inUse;
}

function previewWithView(view: OfficeView, edit: CaptionEdit, now: Date): CaptionPreview {
  const target = { layer: edit.layer ?? (view.inUse.layer === 'shipped' ? 'office' : view.inUse.layer), file: edit.file ?? view.inUse.file };
  if (!/^captions\/[A-Za-z0-9][A-Za-z0-9._-]*\.hbs$/.test(target.file) || target.file.includes('..')) {
    return { status: 'unavailable', message: `"${target.file}" is not a caption file: captions/NAME.hbs, captions/NAME.PLATFORM.hbs or captions/NAME.CHANNEL.hbs`, problems: [] };
  }
  const post = planAll(view.config, { from: now, to: new Date(now.getTime() + LOOKAHEAD_DAYS * 86_400_000) }, now).posts.find(
    (p) => p.ruleId === edit.ruleId && p.channelId === view.channel.id && (edit.postId === undefined || p.id === edit.postId),
  );
  if (!post) {
    return { status: 'unavailable', message: `rule ${edit.ruleId} has no post on channel ${view.channel.id} in the next ${LOOKAHEAD_DAYS} days to preview with`, problems: [] };
  }
  if (!view.layers.some((l) => l.layer === target.layer)) {
    return { status: 'unavailable', message: `office ${view.officeId} has no ${target.layer} templates folder (one office: its templates are all its own)`, problems: [] };
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-caption-preview-'));
  try {
    const layers = copyLayers(view.layers, target.layer, scratch);
    const edited = layers.find((l) => l.layer === target.layer)!;
    fs.mkdirSync(path.join(edited.dir, 'captions'), { recursive: true });
    fs.writeFileSync(path.join(edited.dir, target.file), edit.source);
    const uses = templateUses(view.config).filter((use) => use.name === view.templateName);
    const loaded = loadTemplates(
      layers.map((l) => l.dir),
      uses,
      { publicBaseUrl: view.config.settings.web?.publicBaseUrl ?? null },
    );
    const where = (file: string): { layer: TemplateLayer; file: string } => locate(layers, file) ?? { layer: target.layer, file };
    if (!loaded.templates) {
      const errors = loaded.problems.filter((p) => p.severity === 'error').map((p) => templateError(p, where, target));
      return { status: 'template-errors', target, errors };
    }
    let text: string;
    try {
      text = renderCaption(loaded.templates, post, view.channel.id);
    } catch (error) {
      return { status: 'template-errors', target, errors: [runtimeError(error, where, target)] };
    }
    const limits = limitsFor(view.channel);
    const length = countForPlatform(text, view.channel.platform);
    return {
      status: 'rendered',
      target,
      post: { id: post.id, subject: post.subject, dueAt: post.dueAt, channelId: post.channelId },
      caption: { text, length, unit: captionUnit(view.channel.platform), limit: limits.maxTextLength, over: length > limits.maxTextLength },
      problems: checkCaption(text, limits, view.channel.platform),
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Loads the office's files (kept on disk while `work` runs) and finds the rule, the channel and the template layers. */
function withOffice<T>(source: OfficeFilesSource, ruleId: string, channelId: string, now: Date, work: (view: OfficeView | { message: string; problems: Problem[] }, dir: string) => T): T {
  const options = { sourceDir: source.sourceDir, ...(source.templatesDir === undefined ? {} : { templatesDir: source.templatesDir }), now, officeId: source.officeId };
  return withRevisionLoaded(source.files, options, (checked, dir) => {
    const office = checked.loaded?.config.offices[0];
    if (!checked.loaded || !office) return work({ message: `office ${source.officeId}: its config does not load; fix it first`, problems: checked.problems }, dir);
    const rule = [...office.announcements, ...office.digests].find((r) => r.id === ruleId);
    if (!rule) return work({ message: `office ${office.id} has no rule "${ruleId}"`, problems: [] }, dir);
    const channel = office.channels.find((c) => c.id === channelId || c.id === `${office.id}/${channelId}`);
    if (!channel) return work({ message: `office ${office.id} has no channel "${channelId}"`, problems: [] }, dir);
    const ownDir = path.join(dir, 'offices', office.id, 'templates');
    // One office: its one templates folder is the office's, whatever it holds (the shipped files, for the sample).
    const label = (layerDir: string): TemplateLayer =>
      !office.templateDirs || path.resolve(layerDir) === path.resolve(ownDir) ? 'office' : path.resolve(layerDir) === path.resolve(SHIPPED_TEMPLATES_DIR) ? 'shipped' : 'shared';
    const layers = (office.templateDirs ?? [checked.loaded.config.templatesDir]).map((layerDir) => ({ layer: label(layerDir), dir: layerDir }));
    // Many offices without templates of their own: the office layer the edit would create.
    if (office.templateDirs && !layers.some((l) => l.layer === 'office')) layers.unshift({ layer: 'office', dir: ownDir });
    const group = templatesFor(checked.loaded, office.id).groups.get(rule.template);
    const template = group?.channelCaptions.get(channel.id) ?? group?.caption;
    const found = template ? locate(layers, template.file) : undefined;
    if (!template || !found) return work({ message: `the caption of rule ${ruleId} was not loaded`, problems: checked.problems }, dir);
    return work({ config: checked.loaded.config, officeId: office.id, channel, templateName: rule.template, layers, inUse: { ...found, source: template.source } }, dir);
  });
}

/**
 * Copies the target layer (they are small) so the edit can be written into it, created if the office has none;
 * the others are read where they are, or written from memory when their folder is gone.
 */
function copyLayers(layers: readonly Layer[], target: TemplateLayer, scratch: string): Layer[] {
  return layers.map((layer, index) => {
    if (layer.layer !== target && !layer.files) return { layer: layer.layer, dir: layer.dir };
    const dir = path.join(scratch, `${index}-${layer.layer}`);
    if (layer.files) writeLayer(dir, layer.files);
    else if (fs.existsSync(layer.dir)) fs.cpSync(layer.dir, dir, { recursive: true });
    else if (layer.layer === target) fs.mkdirSync(dir, { recursive: true });
    return { layer: layer.layer, dir };
  });
}

/** A template folder's files (they are small), to write again when the folder is gone. */
function readLayer(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.set(path.relative(dir, full), fs.readFileSync(full));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return files;
}

function writeLayer(dir: string, files: ReadonlyMap<string, Buffer>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [relative, bytes] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), bytes);
  }
}

/** Which layer an absolute template path is in, and its path there. */
function locate(layers: readonly Layer[], file: string): { layer: TemplateLayer; file: string } | undefined {
  for (const layer of layers) {
    const relative = path.relative(layer.dir, file);
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) return { layer: layer.layer, file: relative.split(path.sep).join('/') };
  }
  return undefined;
}

function templateError(problem: Problem, where: (file: string) => { layer: TemplateLayer; file: string }, target: { layer: TemplateLayer; file: string }): TemplateError {
  const at = problem.location ? where(problem.location.file) : target;
  return {
    ...at,
    line: problem.location?.line ?? 1,
    col: problem.location?.col ?? 1,
    message: problem.message,
    inEdit: at.layer === target.layer && at.file === target.file,
  };
}

/**
 * A failure while the template runs: Handlebars' strict mode names the field
 * missing from this post's data (`"note" not defined in [object Object]`) and
 * puts the line and (0-based) column on the error.
 */
function runtimeError(error: unknown, where: (file: string) => { layer: TemplateLayer; file: string }, target: { layer: TemplateLayer; file: string }): TemplateError {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const { lineNumber, column, message } = cause as { lineNumber?: number; column?: number; message?: string };
  const text = String(message ?? error).replace(/ - \d+:\d+$/, '');
  const missing = /^"([^"]+)" not defined in/.exec(text);
  const fileOf = /^(\S+\.hbs): /.exec((error as Error).message ?? '');
  const at = fileOf ? where(fileOf[1]!) : target;
  return {
    ...at,
    line: lineNumber ?? 1,
    col: (column ?? 0) + 1,
    message: missing ? `"${missing[1]}" is not in this post's data: use {{#if}} around it or a field every post has (docs/templates.md)` : `the template failed while rendering: ${text}`,
    inEdit: at.layer === target.layer && at.file === target.file,
  };
}
