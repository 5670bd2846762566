/**
 * The validation issue kinds of environments, in one grouped query (the library lists 1,000
 * environments with them).
 */
import { studioDb, type StudioTx } from "./db.ts";
import { ISSUE_KINDS, type ValidationIssueKind } from "./issue-kinds.ts";

type MessageFilter = { startsWith: string } | { endsWith: string };

/**
 * Each kind is the issues of one stage whose message has one of these shapes (the texts written by
 * lib/awm/validate-data.ts, validate-api.ts and lib/verify/health-assessment.ts). One stage per
 * kind, so grouping by (environment, stage) over the matching issues yields the kinds.
 */
const FROM_VALIDATION: { kind: ValidationIssueKind; stage: string; messages: MessageFilter[] }[] = [
  { kind: "failing-inserts", stage: "seed", messages: [{ startsWith: "INSERT failed:" }] },
  // "CREATE TABLE x is cut off (SQLite: incomplete input)" and "CREATE TABLE x failed: ...".
  { kind: "cut-off-tables", stage: "schema", messages: [{ startsWith: "CREATE TABLE " }] },
  { kind: "shadowed-routes", stage: "code", messages: [{ endsWith: " is unreachable" }] },
  {
    kind: "suspicious-verifiers",
    stage: "verifier",
    messages: [{ startsWith: 'The verifier says "complete" when nothing changed' }, { startsWith: "The verifier fails on the seed database" }],
  },
];

const KIND_OF_STAGE = new Map(FROM_VALIDATION.map((entry) => [entry.stage, entry.kind]));

/** Per environment id, the validation kinds its current issues have (environments with none are absent). */
export async function validationIssueKinds(environmentIds?: string[], db: StudioTx = studioDb()): Promise<Map<string, ValidationIssueKind[]>> {
  const groups = await db.validationIssue.groupBy({
    by: ["environmentId", "stage"],
    where: {
      ...(environmentIds && { environmentId: { in: environmentIds } }),
      OR: FROM_VALIDATION.flatMap(({ stage, messages }) => messages.map((message) => ({ stage, message }))),
    },
  });
  const kinds = new Map<string, ValidationIssueKind[]>();
  for (const group of groups) {
    const kind = KIND_OF_STAGE.get(group.stage);
    if (kind) kinds.set(group.environmentId, [...(kinds.get(group.environmentId) ?? []), kind].sort((a, b) => ISSUE_KINDS.indexOf(a) - ISSUE_KINDS.indexOf(b)));
  }
  return kinds;
}
