/**
 * Scenario parameters checked by their TypeBox schema. Each kind's schema
 * (simulations/<kind>/scenarioParams.ts) is at once the API's body schema (and so the OpenAPI
 * document), the server's check before a run, and the check of the CLI options that mean the
 * same thing, so the API and the CLI refuse the same values.
 *
 * A refusal names one field as a dotted path (`params.rain.mmPerHour`, `params.speedRangeMps[1]`)
 * and says what it must be; the API writes it as `body/params/rain/mmPerHour`.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/** Bad params: `path` names the field (e.g. "params.rain.mmPerHour"), `message` what is wrong. */
export class ScenarioParamsError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'ScenarioParamsError';
  }
}

/** A number field with its bounds, both inclusive. */
export function numberIn(min: number, max: number, description?: string) {
  return Type.Number({ minimum: min, maximum: max, ...(description ? { description } : {}) });
}

/** An integer field with its bounds, both inclusive. */
export function integerIn(min: number, max: number, description?: string) {
  return Type.Integer({ minimum: min, maximum: max, ...(description ? { description } : {}) });
}

interface SchemaError {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

type SchemaNode = Record<string, unknown>;

/** The sub-schema a `#/properties/a/anyOf/0` pointer names. */
function schemaAt(root: TSchema, pointer: string): SchemaNode | undefined {
  let node: unknown = root;
  for (const raw of pointer.replace(/^#\/?/, '').split('/')) {
    if (raw === '') continue;
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = typeof node === 'object' && node !== null ? (node as SchemaNode)[key] : undefined;
  }
  return typeof node === 'object' && node !== null ? (node as SchemaNode) : undefined;
}

/** The field an error is about: the missing or unknown property for those, else where it is. */
function fieldOf(e: SchemaError): string[] {
  const at = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const missing = e.params.requiredProperties ?? e.params.additionalProperties;
  if ((e.keyword === 'required' || e.keyword === 'additionalProperties') && Array.isArray(missing) && typeof missing[0] === 'string') at.push(missing[0]);
  return at;
}

function pathOf(root: string, field: readonly string[]): string {
  return root + field.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('');
}

/** What the field must be, in words, from the error and the schema it broke. */
function messageOf(e: SchemaError, schema: TSchema, sameField: readonly SchemaError[]): string {
  const node = schemaAt(schema, e.schemaPath);
  if (e.keyword === 'required') return 'is required';
  if (e.keyword === 'boolean' || e.keyword === 'additionalProperties') {
    // additionalProperties: false puts `false` under the unknown key; the known ones are beside it.
    const parent = schemaAt(schema, e.schemaPath.replace(/\/additionalProperties$/, ''));
    const known = Object.keys((parent?.properties as object | undefined) ?? {});
    return `unknown field; expected one of ${known.join(', ')}`;
  }
  const union = sameField.find((s) => s.keyword === 'anyOf');
  if (union) {
    const described = schemaAt(schema, union.schemaPath)?.description;
    if (typeof described === 'string') return `must be ${described}`;
  }
  // Each branch of a union of literals reports its own constant.
  const constants = sameField.filter((s) => s.keyword === 'const').map((s) => JSON.stringify(s.params.allowedValue));
  if (constants.length > 0) return `must be one of ${constants.join(', ')}`;
  if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues)) return `must be one of ${e.params.allowedValues.join(', ')}`;
  if (node && (node.type === 'number' || node.type === 'integer') && typeof node.minimum === 'number' && typeof node.maximum === 'number') {
    return `must be ${node.type === 'integer' ? 'an integer' : 'a number'} from ${node.minimum} to ${node.maximum}`;
  }
  if (e.keyword === 'type' && e.params.type === 'object') return 'must be an object';
  return e.message;
}

const compiled = new WeakMap<TSchema, ReturnType<typeof Compile>>();

/**
 * Returns `raw` when it fits `schema`, else throws ScenarioParamsError for one field: the most
 * deeply nested one at fault (inside a union, the branch that got furthest is the one meant).
 */
export function checkParams<T extends TSchema>(schema: T, raw: unknown, root = 'params'): Static<T> {
  let validator = compiled.get(schema);
  if (!validator) compiled.set(schema, (validator = Compile(schema)));
  if (validator.Check(raw)) return raw as Static<T>;
  const errors = validator.Errors(raw) as SchemaError[];
  let worst = errors[0]!;
  for (const e of errors) if (fieldOf(e).length > fieldOf(worst).length) worst = e;
  const field = fieldOf(worst);
  const sameField = errors.filter((e) => e.instancePath === worst.instancePath && fieldOf(e).length === field.length);
  throw new ScenarioParamsError(pathOf(root, field), messageOf(worst, schema, sameField));
}
