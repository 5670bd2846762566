/**
 * AWM matches scenario names across files after normalizing them:
 * "DoorDash Drive (Delivery Tracking)" → "doordash_drive_delivery_tracking".
 */
export function normalizeScenarioName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "");
}
