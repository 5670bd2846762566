import { normalizeScenarioName } from "../../awm/normalize.ts";
import type { ScenarioRecord } from "../../awm/types.ts";
import type { CategoryBalancer, ScenarioDeduplicator } from "../similarity.ts";
import { arrayField, asObject, readShape, ShapeError, stringField, type CheckOutcome } from "./outcome.ts";

export interface ProposedScenario extends ScenarioRecord {
  category: string;
}

export interface ScenarioBatchDetails {
  accepted: ProposedScenario[];
  rejected: { name: string; reason: string }[];
}

function readScenarios(answer: unknown): ProposedScenario[] {
  const scenarios = arrayField(asObject(answer, "answer"), "scenarios", "answer");
  return scenarios.map((item, index) => {
    const where = `scenarios[${index}]`;
    const object = asObject(item, where);
    const name = stringField(object, "name", where).trim();
    const description = stringField(object, "description", where).trim();
    if (normalizeScenarioName(name) === "") throw new ShapeError(`${where}.name "${name}" has no letters or digits`);
    const category = typeof object.category === "string" && object.category.trim() ? object.category.trim() : "uncategorized";
    return { name, description, category };
  });
}

/**
 * A batch of new scenarios: malformed entries fail the answer; near-duplicates (of the library or
 * of this run) and scenarios over their category's cap are left out with the reason. The answer
 * passes when it adds at least one scenario, up to `wanted`.
 */
export function checkScenarioBatch(
  answer: unknown,
  options: { wanted: number; dedup: ScenarioDeduplicator; balancer: CategoryBalancer },
): CheckOutcome<ProposedScenario[]> & { details: ScenarioBatchDetails } {
  const shape = readShape(() => readScenarios(answer));
  if ("error" in shape) return { passed: false, errors: [shape.error], details: { accepted: [], rejected: [] } };
  const proposed = shape.value;
  for (const scenario of proposed) options.balancer.observe(scenario.category);
  const accepted: ProposedScenario[] = [];
  const rejected: ScenarioBatchDetails["rejected"] = [];
  for (const scenario of proposed) {
    const reason =
      accepted.length >= options.wanted ? "more scenarios than asked for" : (options.dedup.duplicateReason(scenario) ?? options.balancer.fullReason(scenario.category));
    if (reason) {
      rejected.push({ name: scenario.name, reason });
      continue;
    }
    options.dedup.add(scenario);
    options.balancer.accept(scenario.category);
    accepted.push(scenario);
  }
  if (accepted.length > 0) return { passed: true, errors: [], details: { accepted, rejected }, record: accepted };
  const errors = [proposed.length === 0 ? "the answer lists no scenarios" : "every proposed scenario was rejected:", ...rejected.map((r) => `  ${r.name}: ${r.reason}`)];
  return { passed: false, errors, details: { accepted, rejected } };
}

/** Regenerating one environment's scenario: exactly one scenario, under the same normalized name. */
export function checkSingleScenario(answer: unknown, environmentName: string): CheckOutcome<ScenarioRecord> {
  const shape = readShape(() => readScenarios(answer));
  if ("error" in shape) return { passed: false, errors: [shape.error] };
  const [first, ...rest] = shape.value;
  const errors: string[] = [];
  if (!first) errors.push("the answer lists no scenario");
  if (rest.length > 0) errors.push(`the answer lists ${shape.value.length} scenarios; give exactly one`);
  if (first && normalizeScenarioName(first.name) !== environmentName) {
    errors.push(`scenarios[0].name "${first.name}" normalizes to "${normalizeScenarioName(first.name)}", not the environment's name "${environmentName}"`);
  }
  return errors.length > 0 || !first ? { passed: false, errors } : { passed: true, errors: [], record: { name: first.name, description: first.description } };
}
