import assert from "node:assert/strict";
import { test } from "node:test";
import { normalizeScenarioName } from "./normalize.ts";

test("normalizes scenario names the way AWM matches them", () => {
  assert.equal(normalizeScenarioName("DoorDash Drive (Delivery Tracking)"), "doordash_drive_delivery_tracking");
  assert.equal(normalizeScenarioName("Etsy Digital Downloads"), "etsy_digital_downloads");
  assert.equal(normalizeScenarioName("__Already_normal__"), "already_normal");
  assert.equal(normalizeScenarioName("Café & Bar -- 24/7!"), "caf_bar_24_7");
  assert.equal(normalizeScenarioName("e_commerce_33"), "e_commerce_33");
  assert.equal(normalizeScenarioName("!!!"), "");
});
