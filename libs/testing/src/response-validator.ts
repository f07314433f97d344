import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from './contract.js';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/** One documented path: its template (`/api/posts/{id}`) as a pattern, most specific first. */
interface PathEntry {
  readonly template: string;
  readonly pattern: RegExp;
  readonly params: number;
}

/** A document, compiled on demand: Ajv holds it whole, so `#/components/...` references resolve. */
class CompiledDocument {
  // multipleOfPrecision: `multipleOf: 0.01` holds for 296.07 although 296.07 / 0.01 is not an integer in floating point.
  private readonly ajv = new Ajv({
    strict: false,
    allErrors: true,
    logger: false,
    discriminator: true,
    multipleOfPrecision: 9,
  });
  private readonly paths: PathEntry[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    readonly document: OpenApiDocument,
    private readonly id: string,
  ) {
    addFormats.default(this.ajv);
    this.ajv.addSchema(document as object, id);
    this.paths = Object.keys(document.paths ?? {})
      .map((template) => ({
        template,
        params: (template.match(/\{[^}]+\}/g) ?? []).length,
        pattern: new RegExp(
          `^${template
            .split(/\{[^}]+\}/)
            .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]+')}/?$`,
        ),
      }))
      .sort((a, b) => a.params - b.params);
  }

  /** The validator of a response, or null when the document has no JSON schema for it. */
  validator(
    method: string,
    pathname: string,
    status: number,
    mediaType: string,
  ): { fn: ValidateFunction; where: string } | null {
    const entry = this.paths.find((p) => p.pattern.test(pathname));
    if (!entry) return null;
    const operation = (this.document.paths?.[entry.template] as Record<string, Operation> | undefined)?.[
      method.toLowerCase()
    ];
    const responses = operation?.responses ?? {};
    const code =
      String(status) in responses
        ? String(status)
        : `${String(status)[0]}XX` in responses
          ? `${String(status)[0]}XX`
          : 'default';
    const content = responses[code]?.content ?? {};
    const type = mediaType in content ? mediaType : Object.keys(content).find((t) => /[/+]json$/.test(t));
    if (type === undefined || content[type]?.schema === undefined) return null;
    const pointer = [
      'paths',
      entry.template,
      method.toLowerCase(),
      'responses',
      code,
      'content',
      type,
      'schema',
    ]
      .map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/');
    const key = `${this.id}#/${pointer}`;
    let fn = this.validators.get(key);
    if (fn === undefined) {
      fn = this.ajv.compile({ $ref: key });
      this.validators.set(key, fn);
    }
    return { fn, where: `${method.toUpperCase()} ${entry.template} ${code} ${type}` };
  }
}

/**
 * Checks responses against the app's own OpenAPI documents (`<docsPath>/json`, and with the
 * versioning library the document of the version a response names in `api-version`): a JSON
 * body that does not match the schema documented for its route and status is an error. Routes,
 * statuses and media types the document does not describe are counted, not checked — an error
 * with `strict`.
 */
export class OpenApiResponseValidator {
  private readonly documents = new Map<string, Promise<CompiledDocument | null>>();
  /** JSON responses checked against a documented schema. */
  checked = 0;
  /** JSON responses the document does not describe (a violation with `strict`). */
  undocumented = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly docsPath = '/docs',
    private readonly options: { strict?: boolean } = {},
  ) {}

  private document(version: string | null): Promise<CompiledDocument | null> {
    const path = version === null ? `${this.docsPath}/json` : `${this.docsPath}/v${version}/json`;
    let doc = this.documents.get(path);
    if (!doc) {
      doc = (async () => {
        const res = await fetch(new URL(path, this.baseUrl));
        if (res.status === 404 && version !== null) return this.document(null);
        if (!res.ok)
          throw new Error(
            `validateResponses: GET ${path} answered ${res.status}; is the OpenAPI document served there (docsPath)?`,
          );
        return new CompiledDocument((await res.json()) as OpenApiDocument, `kwik-openapi:${path}`);
      })();
      this.documents.set(path, doc);
    }
    return doc;
  }

  /** The schema violations of one response (empty when it matches or nothing is documented). */
  async check(
    method: string,
    path: string,
    status: number,
    headers: Headers,
    body: unknown,
  ): Promise<string[]> {
    const mediaType = (headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (body === undefined || !/[/+]json$/.test(mediaType)) return [];
    const doc = await this.document(headers.get('api-version'));
    const pathname = new URL(path, this.baseUrl).pathname;
    const found = doc?.validator(method, pathname, status, mediaType);
    if (!found) {
      this.undocumented++;
      return this.options.strict
        ? [
            `${method.toUpperCase()} ${pathname} ${status} ${mediaType}: no schema documented for this response (strict)`,
          ]
        : [];
    }
    this.checked++;
    if (found.fn(body)) return [];
    return (found.fn.errors ?? []).map(
      (e) =>
        `${found.where}: ${e.instancePath || '(body)'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
    );
  }
}
