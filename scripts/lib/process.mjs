// Small process helpers shared by the start, test and build scripts. Node built-ins only: these
// scripts run before node_modules exists.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";

export const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");

export const nodeBin = (name) => path.join(projectRoot, "node_modules", ".bin", name);

/**
 * The studio's production server (Next plus the MCP fast path), on loopback unless told otherwise.
 * @param {number | string} port
 * @param {string} [host]
 * @returns {[string, string[]]} command and arguments
 */
export function studioServerCommand(port, host = "127.0.0.1") {
  return [process.execPath, ["--import", "tsx", path.join(projectRoot, "scripts", "studio-server.ts"), "--host", host, "--port", String(port)]];
}

/** One clear line per step, so a reader sees what was done and what was skipped. */
export function say(line) {
  console.log(`[awm-studio] ${line}`);
}

/** Runs a command with inherited output; throws naming the command and its exit status. */
export function runOrThrow(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: ["ignore", "inherit", "inherit"], ...options });
  if (result.error) throw new Error(`${command} ${args.join(" ")} could not start: ${result.error.message}`);
  if (result.status !== 0) {
    const how = result.signal ? `signal ${result.signal}` : `exit status ${result.status}`;
    throw new Error(`${command} ${args.join(" ")} failed with ${how}`);
  }
}

/**
 * Runs a command, echoing its output live while keeping a copy, so a caller can read summary lines
 * (test counts) after it ends. Resolves with the exit code (1 when killed by a signal) and the text.
 */
export function runTee(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"], ...options });
    let text = "";
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      text += chunk;
    });
    child.stderr.on("data", (chunk) => {
      process.stderr.write(chunk);
      text += chunk;
    });
    child.on("error", (error) => resolve({ code: 1, text: `${text}\n${command} could not start: ${error.message}` }));
    child.on("close", (code) => resolve({ code: code ?? 1, text }));
  });
}

/**
 * Runs a long-lived command in the foreground until it exits, forwarding Ctrl-C and termination
 * signals so that stopping this script stops the child too. Resolves with the child's exit code.
 */
export function runForeground(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: projectRoot, stdio: "inherit", ...options });
    const forward = (signal) => child.kill(signal);
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
    for (const signal of signals) process.on(signal, forward);
    child.on("error", (error) => {
      console.error(`${command} could not start: ${error.message}`);
      resolve(1);
    });
    child.on("exit", (code, signal) => {
      for (const name of signals) process.off(name, forward);
      resolve(code ?? (signal ? 128 + (signalNumbers[signal] ?? 1) : 1));
    });
  });
}

const signalNumbers = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
