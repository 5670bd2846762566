/**
 * MCP tools from a FastAPI OpenAPI document, the way fastapi_mcp (AWM's MCP layer) derives them:
 * one tool per operation, named by its operationId, whose input schema gathers the path, query and
 * JSON-body parameters at top level, with every `$ref` resolved.
 */
import { stringifyExactJson } from "../json/exact-json.ts";

export type JsonSchema = Record<string, unknown>;
export type ArgumentLocation = "path" | "query" | "header" | "body";

export interface ToolInputSchema {
  type: "object";
  properties: Record<string, JsonSchema>;
  required: string[];
}

/** A tool as a chat-completions function definition: what the native protocol offers an agent, and what trainer rows carry. */
export interface FunctionTool {
  type: "function";
  /** No description key when the tool has none: rows carry exactly what the agent was given. */
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export function functionTools(tools: readonly { name: string; description?: string; inputSchema: object }[]): FunctionTool[] {
  return tools.map((tool) => ({
    type: "function",
    function: { name: tool.name, ...(tool.description && { description: tool.description }), parameters: { ...tool.inputSchema } },
  }));
}

export interface Tool {
  name: string;
  description: string;
  inputSchema: ToolInputSchema;
  method: string;
  /** Path template as in the document, e.g. "/api/items/{item_id}". */
  path: string;
  /** False only for GET, HEAD and OPTIONS. */
  changesState: boolean;
  /** Where each declared argument goes; anything undeclared goes into the JSON body. */
  argumentLocations: Record<string, ArgumentLocation>;
  /** Whether the operation reads a JSON request body (sent as {} when no body argument is given). */
  takesJsonBody: boolean;
  /** Set when the request body is not an object model: this argument carries the whole body. */
  wholeBodyArgument?: string;
}

export interface ToolRequest {
  method: string;
  /** Path with parameters substituted and encoded, plus the query string. */
  url: string;
  headers: Record<string, string>;
  /** JSON text of the body, when there is one. */
  body?: string;
}

export class ToolArgumentError extends Error {
  constructor(tool: string, message: string) {
    super(`tool ${tool}: ${message}`);
    this.name = "ToolArgumentError";
  }
}

interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}

interface OpenApiOperation {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: (OpenApiParameter | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> } | { $ref: string };
}

export interface OpenApiDocument {
  openapi?: string;
  paths?: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown> | undefined>;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const READ_ONLY_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const WHOLE_BODY_ARGUMENT = "body";

/**
 * Schema nodes the resolution of one document may make. Inlining `$ref`s copies what they name, so
 * a few kilobytes of references that each name two others expand to 2^depth nodes: the catalog is
 * built on the studio's thread, and such a document must fail, not take the heap.
 */
export const MAX_RESOLVED_NODES = 200_000;

/** The document references resolve in, and what is left of its budget of nodes. */
interface RefSource {
  doc: OpenApiDocument;
  nodesLeft: number;
}

export function buildToolCatalog(openapi: OpenApiDocument): Tool[] {
  const doc: RefSource = { doc: openapi, nodesLeft: MAX_RESOLVED_NODES };
  const tools: Tool[] = [];
  for (const [pathTemplate, pathItem] of Object.entries(openapi.paths ?? {})) {
    const sharedParameters = (pathItem.parameters ?? []) as OpenApiOperation["parameters"];
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method] as OpenApiOperation | undefined;
      if (operation) tools.push(toolFromOperation(doc, pathTemplate, method, operation, sharedParameters ?? []));
    }
  }
  return tools;
}

function toolFromOperation(
  doc: RefSource,
  pathTemplate: string,
  method: string,
  operation: OpenApiOperation,
  sharedParameters: NonNullable<OpenApiOperation["parameters"]>,
): Tool {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const argumentLocations: Record<string, ArgumentLocation> = {};
  const addArgument = (name: string, location: ArgumentLocation, schema: JsonSchema, isRequired: boolean) => {
    if (name in properties) return;
    properties[name] = schema;
    argumentLocations[name] = location;
    if (isRequired) required.push(name);
  };

  for (const reference of [...sharedParameters, ...(operation.parameters ?? [])]) {
    const parameter = resolve(doc, reference) as unknown as OpenApiParameter;
    if (!["path", "query", "header"].includes(parameter.in)) continue;
    const schema = resolve(doc, parameter.schema ?? {});
    if (parameter.description && !("description" in schema)) schema.description = parameter.description;
    addArgument(parameter.name, parameter.in as ArgumentLocation, schema, parameter.in === "path" || parameter.required === true);
  }

  let wholeBodyArgument: string | undefined;
  const requestBody = operation.requestBody ? (resolve(doc, operation.requestBody) as Exclude<OpenApiOperation["requestBody"], undefined | { $ref: string }>) : undefined;
  const bodySchema = requestBody ? jsonBodySchema(doc, requestBody.content) : undefined;
  if (requestBody && bodySchema) {
    const bodyProperties = bodySchema.properties as Record<string, JsonSchema> | undefined;
    if (bodySchema.type === "object" || bodyProperties) {
      const bodyRequired = new Set(requestBody.required ? ((bodySchema.required as string[] | undefined) ?? []) : []);
      for (const [name, schema] of Object.entries(bodyProperties ?? {})) addArgument(name, "body", schema, bodyRequired.has(name));
    } else {
      wholeBodyArgument = WHOLE_BODY_ARGUMENT;
      addArgument(WHOLE_BODY_ARGUMENT, "body", bodySchema, requestBody.required === true);
    }
  }

  const upperMethod = method.toUpperCase();
  return {
    name: operation.operationId ?? fallbackName(method, pathTemplate),
    description: describe(operation),
    inputSchema: { type: "object", properties, required },
    method: upperMethod,
    path: pathTemplate,
    changesState: !READ_ONLY_METHODS.has(upperMethod),
    argumentLocations,
    takesJsonBody: bodySchema !== undefined,
    ...(wholeBodyArgument ? { wholeBodyArgument } : {}),
  };
}

function jsonBodySchema(doc: RefSource, content: Record<string, { schema?: JsonSchema }> | undefined): JsonSchema | undefined {
  const media = content?.["application/json"] ?? Object.values(content ?? {})[0];
  return media?.schema ? resolve(doc, media.schema) : undefined;
}

function describe(operation: OpenApiOperation): string {
  const parts = [operation.summary, operation.description].map((part) => part?.trim()).filter((part): part is string => Boolean(part));
  return [...new Set(parts)].join("\n\n");
}

function fallbackName(method: string, pathTemplate: string): string {
  return `${method}_${pathTemplate}`.replace(/[^A-Za-z0-9_]+/g, "_").replace(/_+/g, "_").replace(/^_|_$/g, "");
}

/** A copy of `value` with every local `$ref` inlined; a reference cycle is cut with a plain object schema. */
function resolve(doc: RefSource, value: unknown, visiting: ReadonlySet<string> = new Set()): JsonSchema {
  return resolveValue(doc, value, visiting) as JsonSchema;
}

function resolveValue(doc: RefSource, value: unknown, visiting: ReadonlySet<string>): unknown {
  if (!value || typeof value !== "object") return value;
  if (--doc.nodesLeft < 0) throw new Error(`the OpenAPI document's $refs expand past ${MAX_RESOLVED_NODES.toLocaleString("en-US")} schema nodes once inlined (references that name others many times over): its tools cannot be listed`);
  if (Array.isArray(value)) return value.map((item) => resolveValue(doc, item, visiting));
  const record = value as Record<string, unknown>;
  if (typeof record.$ref === "string") {
    const ref = record.$ref;
    const { $ref: _omitted, ...siblings } = record;
    if (visiting.has(ref)) return { type: "object", description: `recursive reference to ${ref}`, ...siblings };
    const target = lookupRef(doc.doc, ref);
    return { ...(resolveValue(doc, target, new Set([...visiting, ref])) as JsonSchema), ...(resolveValue(doc, siblings, visiting) as JsonSchema) };
  }
  const resolved: JsonSchema = {};
  for (const [key, item] of Object.entries(record)) resolved[key] = resolveValue(doc, item, visiting);
  // pydantic 1 wraps a described nested model as allOf: [{$ref}]; flatten that single-member allOf.
  const allOf = resolved.allOf;
  if (Array.isArray(allOf) && allOf.length === 1) {
    delete resolved.allOf;
    return { ...(allOf[0] as JsonSchema), ...resolved };
  }
  return resolved;
}

function lookupRef(doc: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith("#/")) throw new Error(`unsupported $ref ${ref}: only references inside the document are resolved`);
  let node: unknown = doc;
  for (const segment of ref.slice(2).split("/")) {
    const key = segment.replace(/~1/g, "/").replace(/~0/g, "~");
    node = node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
  }
  if (node === undefined) throw new Error(`$ref ${ref} points to nothing in the OpenAPI document`);
  return node;
}

/** The HTTP request for calling `tool` with `args`, as fastapi_mcp makes it. */
export function buildRequest(tool: Tool, args: Record<string, unknown>): ToolRequest {
  let pathname = tool.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  let body: unknown = tool.takesJsonBody && !tool.wholeBodyArgument ? {} : undefined;

  for (const name of tool.inputSchema.required) {
    if (tool.argumentLocations[name] === "path" && (args[name] === undefined || args[name] === null)) {
      throw new ToolArgumentError(tool.name, `missing required path parameter "${name}" of ${tool.method} ${tool.path}`);
    }
  }
  for (const [name, value] of Object.entries(args)) {
    const location = tool.argumentLocations[name] ?? "body";
    if (value === undefined) continue;
    if (location === "path") pathname = pathname.split(`{${name}}`).join(encodeURIComponent(scalarText(value)));
    else if (location === "query") appendQuery(query, name, value);
    else if (location === "header") headers[name] = headerValue(tool.name, name, scalarText(value));
    else if (name === tool.wholeBodyArgument) body = value;
    else body = { ...(body as Record<string, unknown> | undefined), [name]: value };
  }
  const queryText = query.toString();
  const url = queryText ? `${pathname}?${queryText}` : pathname;
  if (body === undefined) return { method: tool.method, url, headers };
  return { method: tool.method, url, headers: { ...headers, "content-type": "application/json" }, body: stringifyExactJson(body) };
}

/** Tabs, printable ASCII and Latin-1: what an HTTP/1.1 header value can carry (Node refuses the rest, line breaks included). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

function headerValue(tool: string, name: string, value: string): string {
  if (!HEADER_VALUE.test(value)) throw new ToolArgumentError(tool, `header parameter "${name}" holds characters an HTTP header cannot carry (a line break, a control character, or one outside Latin-1)`);
  return value;
}

function appendQuery(query: URLSearchParams, name: string, value: unknown): void {
  if (value === null) return;
  for (const item of Array.isArray(value) ? value : [value]) query.append(name, scalarText(item));
}

function scalarText(value: unknown): string {
  return typeof value === "object" && value !== null ? stringifyExactJson(value) : String(value);
}
