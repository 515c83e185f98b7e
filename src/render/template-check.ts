/**
 * Load-time checking of a parsed Handlebars template against the render
 * context shape of its post kind. Handlebars' strict mode only fails when a
 * template runs — possibly at 14.00 on a Friday; this walks the AST once at load
 * time and reports every unknown variable, helper or partial with its line and
 * column.
 */
import type { Problem } from '../errors';
import type { PostKind } from '../plan/types';
import { CARD_CONTEXT_SHAPES, CONTEXT_SHAPES, type Shape } from './context-shape';
import { HELPER_RESULTS } from './helpers';

type Node = hbs.AST.Node;
type Expr = hbs.AST.Expression;
type Path = hbs.AST.PathExpression;
type Call = hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

interface Env {
  /** Context stack: the last is `this`; `../` goes one up. Only #each/#with push. */
  contexts: Shape[];
  /** Block params in scope (`as |day|`). */
  params: Map<string, Shape>;
  /** Data variables in scope besides @root (`index`, `first`, `last`, `key` inside #each). */
  data: Set<string>;
}

export interface CheckInput {
  ast: hbs.AST.Program;
  file: string;
  kind: PostKind;
  /** Parsed partials by name, with their files, for checking at the call site. */
  partials: ReadonlyMap<string, { ast: hbs.AST.Program; file: string }>;
  /** A card template: it also gets `card`, its layout (card-layout.ts). */
  card?: boolean;
}

const SCALAR: Shape = { t: 'scalar' };
const EACH_DATA = ['index', 'first', 'last', 'key'];

function hasField(shape: Shape, name: string): shape is Extract<Shape, { t: 'object' }> {
  return shape.t === 'object' && Object.hasOwn(shape.fields, name);
}

function closest(name: string, options: string[]): string | null {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const temp = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = temp;
      }
    }
    return row[b.length]!;
  };
  let best: string | null = null;
  let bestScore = Infinity;
  for (const option of options) {
    const score = distance(name.toLowerCase(), option.toLowerCase());
    if (score < bestScore) [best, bestScore] = [option, score];
  }
  return bestScore <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

/** Every problem of one template; partials are checked where they are used. */
export function checkTemplate(input: CheckInput): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const root = (input.card ? CARD_CONTEXT_SHAPES : CONTEXT_SHAPES)[input.kind];
  const partialStack: string[] = [];

  const report = (file: string, node: Node, message: string): void => {
    const location = { file, line: node.loc.start.line, col: node.loc.start.column + 1 };
    const key = `${location.file}:${location.line}:${location.col}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ location, message, severity: 'error' });
  };

  const unknownField = (file: string, node: Path, shape: Shape, at: string, part: string): null => {
    if (shape.t !== 'object') {
      report(file, node, `"${node.original}": ${at || 'this'} is ${shape.t === 'list' ? 'a list' : 'a single value'} and has no field "${part}". See docs/templates.md for the variables.`);
      return null;
    }
    const fields = Object.keys(shape.fields);
    const otherKinds = at === '' ? (Object.keys(CONTEXT_SHAPES) as PostKind[]).filter((k) => hasField(CONTEXT_SHAPES[k], part)) : [];
    const hint =
      otherKinds.length > 0
        ? `"${part}" exists only in ${otherKinds.join('/')} templates, and this is a${input.kind === 'announcement' ? 'n' : ''} ${input.kind} template.`
        : (() => {
            const guess = closest(part, fields);
            return guess ? `Did you mean "${guess}"?` : `Known here: ${fields.join(', ')}.`;
          })();
    report(file, node, `unknown variable "${node.original}": ${at ? `"${at}"` : 'the context'} has no "${part}". ${hint}`);
    return null;
  };

  const resolvePath = (file: string, node: Path, env: Env): Shape | null => {
    let shape: Shape;
    let rest = node.parts;
    let at = '';
    if (node.data) {
      const head = node.parts[0] ?? '';
      if (head === 'root') {
        shape = root;
        rest = node.parts.slice(1);
        at = '';
      } else if (env.data.has(head) && node.parts.length === 1) {
        return SCALAR;
      } else {
        report(file, node, `unknown data variable "${node.original}": only @root, and @index/@first/@last/@key inside {{#each}}, are available.`);
        return null;
      }
    } else {
      const head = node.parts[0];
      const param = node.depth === 0 && head !== undefined && !node.original.startsWith('this') ? env.params.get(head) : undefined;
      if (param) {
        shape = param;
        rest = node.parts.slice(1);
        at = head!;
      } else {
        const index = env.contexts.length - 1 - node.depth;
        if (index < 0) {
          report(file, node, `"${node.original}" goes above the top of the context; remove a "../".`);
          return null;
        }
        shape = env.contexts[index]!;
        at = index === 0 ? '' : 'this';
      }
    }
    for (const part of rest) {
      if (shape.t === 'list' && (part === 'length' || /^\d+$/.test(part))) {
        shape = part === 'length' ? SCALAR : shape.of;
      } else if (hasField(shape, part)) {
        shape = shape.fields[part]!;
      } else {
        return unknownField(file, node, shape, at, part);
      }
      at = at ? `${at}.${part}` : part;
    }
    return shape;
  };

  const helperName = (path: Expr, env: Env): string | null => {
    if (path.type !== 'PathExpression') return null;
    const p = path as Path;
    const name = p.parts[0];
    if (p.data || p.depth > 0 || p.parts.length !== 1 || p.original.startsWith('this') || name === undefined) return null;
    if (env.params.has(name)) return null;
    return Object.hasOwn(HELPER_RESULTS, name) ? name : null;
  };

  const checkArgs = (file: string, node: Call, env: Env): Array<Shape | null> => {
    const shapes = node.params.map((param) => expression(file, param, env));
    for (const pair of node.hash?.pairs ?? []) expression(file, pair.value, env);
    return shapes;
  };

  /** A mustache, block or sub-expression: a helper call or a variable lookup. Returns the value's shape. */
  const call = (file: string, node: Call, env: Env): Shape | null => {
    const name = helperName(node.path, env);
    const hasArgs = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    if (name) {
      checkArgs(file, node, env);
      // Handlebars blocks prototype properties at run time (renders nothing); say so
      // when the template is loaded instead of posting a silently empty caption.
      for (const param of node.params) {
        if (name === 'lookup' && param.type === 'StringLiteral' && PROTOTYPE_KEYS.has((param as hbs.AST.StringLiteral).value)) {
          report(file, param, `"${(param as hbs.AST.StringLiteral).value}" is not a variable: prototype properties are never available to templates.`);
        }
      }
      return HELPER_RESULTS[name] === 'list' ? { t: 'list', of: SCALAR } : SCALAR;
    }
    if (node.path.type !== 'PathExpression') return SCALAR;
    const path = node.path as Path;
    if (hasArgs || node.type === 'SubExpression') {
      checkArgs(file, node, env);
      const guess = closest(path.original, Object.keys(HELPER_RESULTS));
      report(
        file,
        path,
        `unknown helper "${path.original}".${guess ? ` Did you mean "${guess}"?` : ''} The helpers are listed in docs/templates.md.`,
      );
      return null;
    }
    return resolvePath(file, path, env);
  };

  const expression = (file: string, expr: Expr, env: Env): Shape | null => {
    switch (expr.type) {
      case 'PathExpression':
        return resolvePath(file, expr as Path, env);
      case 'SubExpression':
        return call(file, expr as hbs.AST.SubExpression, env);
      default:
        return SCALAR; // literals
    }
  };

  const block = (file: string, node: hbs.AST.BlockStatement, env: Env): void => {
    const name = helperName(node.path, env);
    const inner = (pushed: Shape | null, params: Shape[], data: string[] = []): Env => {
      const blockParams = new Map(env.params);
      node.program?.blockParams?.forEach((param, i) => blockParams.set(param, params[i] ?? SCALAR));
      return {
        contexts: pushed ? [...env.contexts, pushed] : env.contexts,
        params: blockParams,
        data: new Set([...env.data, ...data]),
      };
    };
    let bodyEnv: Env = env;
    if (name === 'each' || name === 'with') {
      const [subject] = checkArgs(file, node, env);
      if (node.params.length !== 1) report(file, node, `{{#${name}}} takes exactly one value, e.g. {{#${name} release.days}}.`);
      if (subject === null || subject === undefined) {
        bodyEnv = inner({ t: 'object', fields: {} }, []);
      } else if (name === 'each') {
        if (subject.t !== 'list') report(file, node, `{{#each}} needs a list; "${(node.params[0] as Path).original ?? 'this value'}" is not one.`);
        const element = subject.t === 'list' ? subject.of : { t: 'object' as const, fields: {} };
        bodyEnv = inner(element, [element, SCALAR], EACH_DATA);
      } else {
        bodyEnv = inner(subject, [subject]);
      }
    } else if (name === 'if' || name === 'unless') {
      checkArgs(file, node, env);
      bodyEnv = inner(null, []);
    } else if (name) {
      checkArgs(file, node, env);
      report(file, node, `helper "${name}" cannot open a block; write {{${name} …}} instead of {{#${name} …}}.`);
    } else {
      // {{#release}}…{{/release}}: Handlebars iterates a list and enters an object.
      const subject = call(file, node, env);
      if (subject?.t === 'list') bodyEnv = inner(subject.of, [subject.of], EACH_DATA);
      else if (subject?.t === 'object') bodyEnv = inner(subject, [subject]);
    }
    if (node.program) program(file, node.program, bodyEnv);
    if (node.inverse) program(file, node.inverse, env);
  };

  const partial = (file: string, node: hbs.AST.PartialStatement, env: Env): void => {
    if (node.name.type !== 'PathExpression') {
      report(file, node, 'dynamic partial names are not supported; write the partial name, e.g. {{> footer}}.');
      return;
    }
    const name = (node.name as Path).original;
    const found = input.partials.get(name);
    if (!found) {
      report(file, node.name, `unknown partial "${name}": create partials/${name}.hbs or fix the name.`);
      return;
    }
    let context = env.contexts[env.contexts.length - 1]!;
    if (node.params.length > 0) context = expression(file, node.params[0]!, env) ?? { t: 'object', fields: {} };
    const pairs = node.hash?.pairs ?? [];
    if (pairs.length > 0) {
      const fields: Record<string, Shape> = context.t === 'object' ? { ...context.fields } : {};
      for (const pair of pairs) fields[pair.key] = expression(file, pair.value, env) ?? SCALAR;
      context = { t: 'object', fields };
    }
    if (partialStack.includes(name)) return; // recursive partial: already being checked
    partialStack.push(name);
    program(found.file, found.ast, { contexts: [...env.contexts, context], params: new Map(), data: env.data });
    partialStack.pop();
  };

  const program = (file: string, prog: hbs.AST.Program, env: Env): void => {
    for (const statement of prog.body) {
      switch (statement.type) {
        case 'MustacheStatement':
          call(file, statement as hbs.AST.MustacheStatement, env);
          break;
        case 'BlockStatement':
          block(file, statement as hbs.AST.BlockStatement, env);
          break;
        case 'PartialStatement':
          partial(file, statement as hbs.AST.PartialStatement, env);
          break;
        case 'PartialBlockStatement':
        case 'DecoratorBlock':
        case 'Decorator':
          report(file, statement, 'partial blocks and decorators are not supported in templates; use a plain partial {{> name}}.');
          break;
        default:
          break; // content and comments
      }
    }
  };

  program(input.file, input.ast, { contexts: [root], params: new Map(), data: new Set() });
  return problems;
}
