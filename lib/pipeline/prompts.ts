/**
 * The generator prompts, one builder per stage. Written for this studio from the AWM paper's
 * description of each stage; every answer is one JSON object with the fields of that stage's AWM record.
 */
import type { SchemaRecord, ScenarioRecord, SeedRecord, SpecRecord, VerifierMode } from "../awm/types.ts";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

const JSON_ONLY = "Reply with exactly one JSON object and nothing else: no prose, no Markdown fences.";

const SYSTEM = `You design simulated apps ("environments") in which AI agents practise using tools. Every environment is a small SQLite database, a Python FastAPI server whose endpoints are the agent's tools, and realistic user tasks with checks. Be concrete, consistent and executable. ${JSON_ONLY}`;

function messages(user: string, feedback?: string): ChatMessage[] {
  const out: ChatMessage[] = [
    { role: "system", content: SYSTEM },
    { role: "user", content: user },
  ];
  if (feedback) {
    out.push({
      role: "user",
      content: `Your previous answer to this request failed its check. The problems found:\n${feedback}\n\nFix every problem and answer again with the complete corrected JSON object. ${JSON_ONLY}`,
    });
  }
  return out;
}

function scenarioBlock(scenario: ScenarioRecord): string {
  return `App: ${scenario.name}\nDescription: ${scenario.description}`;
}

function tasksBlock(tasks: string[]): string {
  return tasks.map((task, index) => `${index}. ${task}`).join("\n");
}

function ddlBlock(schema: SchemaRecord): string {
  return schema.db_schema.tables.map((table) => [table.ddl, ...table.indexes].join("\n")).join("\n\n");
}

/** What the seed and spec stages both build on: the app, its tasks and its schema. */
function appWithTasksAndSchema(input: { scenario: ScenarioRecord; tasks: string[]; schema: SchemaRecord }): string {
  return `${scenarioBlock(input.scenario)}

Tasks:
${tasksBlock(input.tasks)}

Schema:
${ddlBlock(input.schema)}`;
}

export function scenarioBatchPrompt(input: { seeds: ScenarioRecord[]; taken: string[]; wanted: number }, feedback?: string): ChatMessage[] {
  const examples = input.seeds.map((seed) => `- ${seed.name}: ${seed.description}`).join("\n");
  const taken = input.taken.length > 0 ? `\nThese apps exist already; propose none of them, nor anything that does the same job:\n${input.taken.join(", ")}\n` : "";
  return messages(
    `Invent ${input.wanted} new web or mobile apps that could be simulated with one database and a REST API. Take these well-known apps as inspiration for the kind and scale, not as a list to copy:\n${examples}\n${taken}
Each app must be distinct from the others in purpose. Give each a short product-like name, a description of 3 to 5 sentences saying what users do in it (the objects they create, browse, change), and a one- or two-word category (e.g. "commerce", "travel", "health").

Answer shape: {"scenarios": [{"name": "...", "description": "...", "category": "..."}]}`,
    feedback,
  );
}

export function scenarioRewritePrompt(current: ScenarioRecord, feedback?: string): ChatMessage[] {
  return messages(
    `Rewrite the description of this app so it says clearly, in 3 to 5 sentences, what users do in it (the objects they create, browse and change). Keep the name exactly as it is.\n\n${scenarioBlock(current)}

Answer shape: {"scenarios": [{"name": "${current.name}", "description": "...", "category": "..."}]}`,
    feedback,
  );
}

export function tasksPrompt(input: { scenario: ScenarioRecord; count: number }, feedback?: string): ChatMessage[] {
  return messages(
    `${scenarioBlock(input.scenario)}

Write ${input.count} different tasks a real user of this app would ask an assistant to do for them. The user is already logged in as user id 1. Each task is one or two imperative sentences naming the concrete records and values involved (names in quotes, ids, amounts, dates), so that the app's data can be prepared for it and its outcome checked in the database. Mix tasks that change data (create, update, cancel, book, ...) with a few that look information up. Never ask about the API, endpoints or database themselves.

Answer shape: {"tasks": ["...", "..."]}`,
    feedback,
  );
}

export function schemaPrompt(input: { scenario: ScenarioRecord; tasks: string[] }, feedback?: string): ChatMessage[] {
  return messages(
    `${scenarioBlock(input.scenario)}

Tasks the app must support:
${tasksBlock(input.tasks)}

Design the SQLite schema for this app: every table and column these tasks need (users included; user id 1 is the logged-in user), with primary keys, NOT NULL, CHECK and FOREIGN KEY constraints where they belong, and indexes for the lookups the tasks make. Every statement must run on SQLite as written; a foreign key may only reference a table of this schema.

Answer shape: {"tables": [{"name": "table_name", "ddl": "CREATE TABLE table_name (...);", "indexes": ["CREATE INDEX ...;"]}]}`,
    feedback,
  );
}

export function seedPrompt(input: { scenario: ScenarioRecord; tasks: string[]; schema: SchemaRecord }, feedback?: string): ChatMessage[] {
  return messages(
    `${appWithTasksAndSchema(input)}

Write INSERT statements that fill this database with realistic sample data, so that every task can be carried out: every record a task names must exist, with the values the task assumes. Insert parent rows before the rows that reference them, give explicit ids, and include user id 1. One statement per string; each must run on the schema above.

Answer shape: {"tables": [{"table_name": "...", "reasoning": "why these rows", "insert_statements": ["INSERT INTO ... VALUES (...);"]}]}`,
    feedback,
  );
}

export function specPrompt(input: { scenario: ScenarioRecord; tasks: string[]; schema: SchemaRecord }, feedback?: string): ChatMessage[] {
  return messages(
    `${appWithTasksAndSchema(input)}

Design the REST API (the agent's tools) that lets an agent carry out every task over this database, grouped by resource. Each endpoint has a unique snake_case operation_id (it becomes the tool name), a method (GET for reads; POST, PUT, PATCH, DELETE for changes), a path whose {placeholders} are declared as path parameters, its request_params with an example value each (examples must exist in the sample data), the response fields, and the tables it reads or writes.

Answer shape: {"api_groups": [{"group_name": "...", "endpoints": [{"path": "/api/...", "method": "GET", "summary": "...", "description": "...", "operation_id": "...", "tags": ["..."], "request_params": {"name": {"type": "integer|number|string|boolean|array|object", "param_type": "path|query|body", "required": true, "description": "...", "example": 1}}, "response": {"field": {"type": "...", "description": "..."}}, "required_tables": ["..."], "required_fields": {"table": ["column"]}}]}]}`,
    feedback,
  );
}

export function codePrompt(input: { scenario: ScenarioRecord; schema: SchemaRecord; spec: SpecRecord }, feedback?: string): ChatMessage[] {
  return messages(
    `${scenarioBlock(input.scenario)}

Schema (the database already exists with this schema and sample rows; never create or drop tables):
${ddlBlock(input.schema)}

API to implement:
${JSON.stringify(input.spec.api_spec)}

Write the whole server as one Python file:
- FastAPI (0.9x) with pydantic 1.x models for request bodies, SQLAlchemy 1.4 for the database.
- Read the database URL with DATABASE_PATH = os.environ.get("DATABASE_PATH", "sqlite:///app.db") and pass it to create_engine(DATABASE_PATH, connect_args={"check_same_thread": False}).
- One route per endpoint above, with exactly its method, path and operation_id="..." in the decorator; declare fixed paths (/items/search) before parameterized ones (/items/{item_id}).
- The current user is user id 1. Return JSON; answer 404 for unknown ids and 400 for invalid input via HTTPException, never an unhandled exception.
- End with: if __name__ == "__main__": import uvicorn; uvicorn.run(app, host="0.0.0.0", port=8000)

Answer shape: {"full_code": "<the Python file>"}`,
    feedback,
  );
}

const VERIFIER_RULES: Record<VerifierMode, string> = {
  code: `Write a Python function verify_task_completion(initial_db_path, final_db_path, final_answer=None) that decides whether the task was done by comparing the two SQLite databases (opened with sqlite3, read-only) and, for information requests, the final answer text. It returns {"result": "complete"} when done, else {"result": "others", "reason": "..."}. For a task that asks for a change, an unchanged database (initial equal to final) must not be "complete".`,
  sql: `Write a Python function verify_task(initial_db_path, final_db_path) that opens both SQLite databases with sqlite3 (read-only) and returns a dict of the evidence a judge needs to decide whether the task was done: the relevant rows before and after, and what changed. It must not decide by itself.`,
};

export function verifierPrompt(
  input: { scenario: ScenarioRecord; task: string; schema: SchemaRecord; seed: SeedRecord | undefined; mode: VerifierMode },
  feedback?: string,
): ChatMessage[] {
  const sample = (input.seed?.sample_data.tables ?? []).map((table) => `${table.table_name}: ${table.insert_statements.slice(0, 3).join(" ")}`).join("\n");
  return messages(
    `${scenarioBlock(input.scenario)}

Task: ${input.task}

Schema:
${ddlBlock(input.schema)}

Sample of the initial data:
${sample}

${VERIFIER_RULES[input.mode]} Only the modules sqlite3, json, os and re are available; import them inside the function. Never write to the databases.

Answer shape: {"code": "<the Python source of the function>"}`,
    feedback,
  );
}

/** Asks the model to shorten a long check report into what the generator must fix. */
export function errorSummaryPrompt(stage: string, errors: string): ChatMessage[] {
  return [
    { role: "system", content: "You condense error reports for a code generator. Reply in plain text, at most 15 short lines." },
    {
      role: "user",
      content: `The ${stage} answer failed these checks. Summarize what is wrong and where (table, statement, operation, line), keeping the exact error messages that matter, so the generator can fix it:\n\n${errors}`,
    },
  ];
}
