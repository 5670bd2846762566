/**
 * Python for the hostile tests' attacks on a process tree, shared by the instance tests (as a tool's
 * body) and the verifier tests (as a verifier's body). Each attack is bounded on its own: children
 * exit after `seconds`, so a failed limit cannot hurt the machine running the test. Arguments are
 * Python expressions (a literal, or the name of the tool's parameter); the code around must import
 * `os` and `time`; `indent` prefixes every line (a function body's indentation).
 */

/**
 * Forks up to `count` children that sleep, stopping at the first refused fork, and waits for them.
 * Leaves `children` (the pids started) and `error` (the refused fork's repr, or None).
 */
export function forkBombPython(count: string, seconds: string, indent = ""): string {
  return indented(
    indent,
    `children = []
error = None
for _ in range(${count}):
    try:
        pid = os.fork()
    except OSError as exc:
        error = repr(exc)
        break
    if pid == 0:
        time.sleep(${seconds})
        os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)`,
  );
}

/**
 * Forks `children` children that each hold `megabytes` MB for a while. Leaves `pids`, not yet
 * waited for: the caller reports their exit statuses.
 */
export function memoryHogsPython(children: string, megabytes: string, seconds: string, indent = ""): string {
  return indented(
    indent,
    `pids = []
for _ in range(${children}):
    pid = os.fork()
    if pid == 0:
        block = b"x" * (${megabytes} * 1024 * 1024)
        time.sleep(${seconds})
        os._exit(0)
    pids.append(pid)`,
  );
}

function indented(indent: string, code: string): string {
  return code.replace(/^/gm, indent);
}
