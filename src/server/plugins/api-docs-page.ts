/** The parts of an OpenAPI 3 document the docs page shows. */
export interface OpenApiDocument {
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
}

interface OpenApiOperation {
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
  readonly parameters?: readonly {
    readonly name: string;
    readonly in: string;
    readonly required?: boolean;
    readonly schema?: unknown;
  }[];
  readonly requestBody?: { readonly content?: Readonly<Record<string, { readonly schema?: unknown }>> };
  readonly responses?: Readonly<
    Record<
      string,
      { readonly description?: string; readonly content?: Readonly<Record<string, { readonly schema?: unknown }>> }
    >
  >;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${String(char.charCodeAt(0))};`);
}

function schemaBlock(schema: unknown): string {
  return schema === undefined ? '' : `<pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre>`;
}

function renderOperation(path: string, method: string, operation: OpenApiOperation): string {
  const parameters = (operation.parameters ?? [])
    .map(
      (p) =>
        `<li><code>${escapeHtml(p.name)}</code> (${escapeHtml(p.in)}${p.required === true ? ', required' : ''})${
          p.schema === undefined ? '' : ` <code>${escapeHtml(JSON.stringify(p.schema))}</code>`
        }</li>`,
    )
    .join('');
  const body = operation.requestBody?.content?.['application/json']?.schema;
  const responses = Object.entries(operation.responses ?? {})
    .map(
      ([status, response]) =>
        `<h4>${escapeHtml(status)} ${escapeHtml(response.description ?? '')}</h4>${schemaBlock(response.content?.['application/json']?.schema)}`,
    )
    .join('');
  const security = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
  return `<section><h3><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h3><p>${escapeHtml(operation.summary ?? '')}</p>${
    operation.description === undefined ? '' : `<p>${escapeHtml(operation.description)}</p>`
  }${security.length === 0 ? '' : `<p>Credentials: ${security.map((name) => `<code>${escapeHtml(name)}</code>`).join(', ')}</p>`}${
    parameters === '' ? '' : `<h4>Parameters</h4><ul>${parameters}</ul>`
  }${body === undefined ? '' : `<h4>Request body</h4>${schemaBlock(body)}`}${responses}</section>`;
}

/**
 * A static HTML page for the OpenAPI document. Every value is escaped; there is no script and no
 * inline style, so the page's CSP needs no exception.
 */
export function renderApiDocs(document: OpenApiDocument): string {
  const operations = Object.entries(document.paths)
    .flatMap(([path, item]) =>
      METHODS.flatMap((method) => {
        const operation = item[method];
        return operation === undefined ? [] : [renderOperation(path, method, operation)];
      }),
    )
    .join('\n');
  const title = `${escapeHtml(document.info.title)} API ${escapeHtml(document.info.version)}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body><h1>${title}</h1><p>${escapeHtml(
    document.info.description ?? '',
  )}</p><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a></p>${operations}</body></html>`;
}
