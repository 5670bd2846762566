/**
 * Episodes of one environment share a host (one import of the code) and nothing else: each starts
 * with the module state of a fresh import and a database of its own, a reset begins again from
 * both, and one episode's crash, hang or memory bomb ends that episode only.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { liveHosts } from "./host-pool.ts";
import type { EnvironmentInstance } from "./instance.ts";
import { awmEnvironment, runtimeTestContext, SHOP_SEED_SQL } from "../testing/runtime-environments.ts";

/** A shop whose code keeps state in memory: a call counter, a dict of notes, and a memory bomb. */
const MEMORY_SHOP = awmEnvironment(`
import os, signal, socket, subprocess, time
from sqlalchemy import text

CALLS = 0
NOTES = {}
IMPORTED_IN = os.getpid()

@app.post("/api/notes", operation_id="add_note")
def add_note(key: str = Query(...), value: str = Query(...)):
    global CALLS
    CALLS += 1
    NOTES[key] = value
    session = SessionLocal()
    session.execute(text("INSERT INTO products (name, price, stock) VALUES (:name, 1.0, 1)"), {"name": key})
    session.commit()
    session.close()
    return {"calls": CALLS, "notes": NOTES}

@app.get("/api/state", operation_id="state")
def state():
    session = SessionLocal()
    names = [row[0] for row in session.execute(text("SELECT name FROM products ORDER BY id"))]
    session.close()
    return {"calls": CALLS, "notes": NOTES, "products": names, "pid": os.getpid(), "imported_in": IMPORTED_IN}

@app.post("/api/write_file", operation_id="write_file")
def write_file(path: str = Query(...)):
    try:
        with open(path, "w") as handle:
            handle.write("episode was here")
        return {"written": True}
    except OSError as error:
        return {"written": False, "error": str(error)}

@app.post("/api/segment", operation_id="segment")
def segment(create: bool = Query(...)):
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    found = libc.shmget(0x41574D, 4096, 0o1000 | 0o2000 | 0o600 if create else 0)  # IPC_CREAT | IPC_EXCL
    return {"found": found >= 0, "error": None if found >= 0 else os.strerror(ctypes.get_errno())}

@app.post("/api/keyring", operation_id="keyring")
def keyring(add: bool = Query(...)):
    import ctypes
    import platform
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    add_key, keyctl = {"x86_64": (248, 250), "aarch64": (217, 219)}[platform.machine()]
    seen = {}
    for name, ring in (("session", -3), ("user", -4), ("user_session", -5)):
        if add:
            key = libc.syscall(add_key, b"user", b"awm-channel", b"planted", 7, ring)
        else:
            key = libc.syscall(keyctl, 10, ring, b"user", b"awm-channel", 0)  # KEYCTL_SEARCH
        seen[name] = True if key >= 0 else os.strerror(ctypes.get_errno())
    return seen

@app.get("/api/list_dir", operation_id="list_dir")
def list_dir(path: str = Query(...)):
    return {"entries": sorted(os.listdir(path))}

@app.post("/api/hang", operation_id="hang")
def hang():
    while True:
        pass

@app.post("/api/bomb", operation_id="bomb")
def bomb():
    hoard = []
    while True:
        hoard.append(bytearray(64 * 1024 * 1024))

@app.post("/api/crash", operation_id="crash")
def crash():
    os._exit(7)

@app.post("/api/leave_group", operation_id="leave_group")
def leave_group():
    os.setpgid(0, os.getpgid(os.getppid()))
    return {"group": os.getpgid(0)}

@app.post("/api/send_kill", operation_id="send_kill")
def send_kill(pid: int = Query(...)):
    try:
        os.kill(pid, signal.SIGKILL)
        return {"sent": True}
    except OSError as error:
        return {"sent": False, "error": error.strerror}

@app.post("/api/kill_own_child", operation_id="kill_own_child")
def kill_own_child():
    child = subprocess.Popen(["sleep", "30"])
    child.kill()
    return {"status": child.wait()}

LISTENING = []

@app.post("/api/listen", operation_id="listen")
def listen(address: str = Query(...)):
    try:
        server = socket.socket(socket.AF_UNIX if address.startswith("@") else socket.AF_INET)
        server.bind("\\0" + address[1:] if address.startswith("@") else ("127.0.0.1", int(address)))
        server.listen()
        LISTENING.append(server)
        return {"listening": True}
    except OSError as error:
        return {"listening": False, "error": error.strerror}

@app.post("/api/connect", operation_id="connect")
def connect(address: str = Query(...)):
    client = socket.socket(socket.AF_UNIX if address.startswith("@") else socket.AF_INET)
    try:
        client.connect("\\0" + address[1:] if address.startswith("@") else ("127.0.0.1", int(address)))
        return {"connected": True}
    except OSError as error:
        return {"connected": False, "error": error.strerror}
    finally:
        client.close()
`);

/** The same shop, but its import leaves a sqlite3 connection open: forks would share that file. */
const CONNECTION_AT_IMPORT = MEMORY_SHOP.replace("CALLS = 0", 'import sqlite3\nKEPT = sqlite3.connect(DATABASE_PATH.replace("sqlite:///", ""))\nCALLS = 0');

/** The shop with a page of shared memory mapped at its import: forks would all write the same page. */
const SHARED_AT_IMPORT = MEMORY_SHOP.replace(
  "CALLS = 0",
  `import mmap
SHARED = mmap.mmap(-1, mmap.PAGESIZE)

@app.post("/api/share", operation_id="share")
def share(text: str = Query(...)):
    SHARED.seek(0)
    SHARED.write(text.encode() + b"\\0")
    return {"shared": text}

@app.get("/api/shared", operation_id="shared")
def shared():
    return {"shared": SHARED[:].split(b"\\0")[0].decode()}
CALLS = 0`,
);

/** The shop whose import leaves a garbage-collector callback counting collections in module state. */
const HOOK_AT_IMPORT = MEMORY_SHOP.replace("CALLS = 0", "import gc\nCOLLECTIONS = []\ngc.callbacks.append(lambda phase, info: COLLECTIONS.append(phase))\nCALLS = 0");

/** An import that adds an audit hook: it would run in the host at every fork, and see the episodes' own events. */
const AUDIT_AT_IMPORT = MEMORY_SHOP.replace(
  "CALLS = 0",
  `import sys
AUDITED = []
sys.addaudithook(lambda event, args: AUDITED.append(event) if event in ("os.fork", "open") else None)

@app.get("/api/audited", operation_id="audited")
def audited():
    return {"audited": sorted(set(AUDITED))}

CALLS = 0`,
);

/** An import that registers an at-fork hook: it would run in the host before every fork. */
const AT_FORK_AT_IMPORT = MEMORY_SHOP.replace("CALLS = 0", "FORKS = []\nos.register_at_fork(before=lambda: FORKS.append(1))\nCALLS = 0");

/** An import that makes a multiprocessing lock (a POSIX semaphore in /dev/shm, mapped shared). */
const LOCK_AT_IMPORT = MEMORY_SHOP.replace("CALLS = 0", "import multiprocessing\nLOCK = multiprocessing.Lock()\nCALLS = 0");

/** An import that arms a timer with a handler: it would fire in the host between forks. */
const TIMER_AT_IMPORT = MEMORY_SHOP.replace("CALLS = 0", "signal.signal(signal.SIGALRM, lambda *_: None)\nsignal.setitimer(signal.ITIMER_REAL, 3600)\nCALLS = 0");

/**
 * An import that, where it holds more than one slot's listening socket (in the host, not in an
 * episode that imports the code itself), leaves a process behind that answers whatever reaches
 * those sockets with a forged answer.
 */
const DAEMON_AT_IMPORT = MEMORY_SHOP.replace(
  "CALLS = 0",
  `import select
def listening_sockets():
    found = []
    for fd in [int(name) for name in os.listdir("/proc/self/fd")]:
        try:
            candidate = socket.socket(fileno=os.dup(fd))
        except OSError:
            continue
        if candidate.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
            found.append(candidate)
        else:
            candidate.close()
    return found
def forge_answers(listeners):
    body = b'{"forged": true}'
    poller = select.poll()
    for listener in listeners:
        poller.register(listener, select.POLLIN)
    by_fd = {listener.fileno(): listener for listener in listeners}
    while True:
        for fd, _ in poller.poll():
            try:
                connection, _ = by_fd[fd].accept()
                connection.recv(65536)
                connection.sendall(b"HTTP/1.1 200 OK\\r\\ncontent-type: application/json\\r\\ncontent-length: %d\\r\\nconnection: close\\r\\n\\r\\n%s" % (len(body), body))
                connection.close()
            except OSError:
                pass
SLOTS = listening_sockets()
if len(SLOTS) > 1 and os.fork() == 0:
    os.setsid()
    try:
        forge_answers(SLOTS)
    finally:
        os._exit(0)
for slot in SLOTS:
    slot.close()
CALLS = 0`,
);

/** An import that writes a forged control line to every descriptor it finds: the studio must not take it as an answer. */
const FORGER = MEMORY_SHOP.replace(
  "CALLS = 0",
  `for name in os.listdir("/proc/self/fd"):
    try:
        os.write(int(name), b'{"spawned": 0, "pid": 1}\\nnot a control line\\n')
    except OSError:
        pass
CALLS = 0`,
);

/**
 * The shop with 64 pages of its own, filled at import (the host's pages every fork shares until it
 * writes them), and two probes: which of those pages this process has copied, and the shared
 * anonymous memory it can reach (a learner's report region; see written_pages.py), to write into or
 * to search for what another episode wrote there.
 */
const PAGE_PROBE = MEMORY_SHOP.replace(
  "CALLS = 0",
  `import ctypes, mmap
PAD = bytearray(b"p" * (64 * mmap.PAGESIZE))
MARKER = b"AWM-EPISODE-MARK"
libc = ctypes.CDLL(None, use_errno=True)

@app.post("/api/touch_pad", operation_id="touch_pad")
def touch_pad():
    for page in range(64):
        PAD[page * mmap.PAGESIZE] = ord("t")
    return {"touched": 64}

@app.get("/api/pad_copied", operation_id="pad_copied")
def pad_copied():
    """How many of PAD's pages this process holds alone (present, not shared with the host)."""
    first = ctypes.addressof(ctypes.c_char.from_buffer(PAD)) // mmap.PAGESIZE + 1  # the first whole page
    libc.prctl(4, 1, 0, 0, 0)  # dumpable: /proc/self/pagemap is then this process's to read
    with open("/proc/self/pagemap", "rb") as pagemap:
        pagemap.seek(first * 8)
        entries = [int.from_bytes(pagemap.read(8), "little") for _ in range(63)]
    libc.prctl(4, 0, 0, 0, 0)
    return {"copied": sum(1 for entry in entries if entry >> 63 & 1 and entry >> 56 & 1)}

def shared_anonymous_memory():
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()
            if fields[1] == "rw-s" and (len(fields) < 6 or fields[5] == "/dev/zero"):
                start, end = (int(bound, 16) for bound in fields[0].split("-"))
                yield start, end - start

@app.post("/api/mark_shared_memory", operation_id="mark_shared_memory")
def mark_shared_memory():
    regions = list(shared_anonymous_memory())
    for start, size in regions:
        ctypes.memmove(start, MARKER * (size // len(MARKER)), size // len(MARKER) * len(MARKER))
    return {"regions": len(regions)}

@app.get("/api/find_mark", operation_id="find_mark")
def find_mark():
    return {"found": any(MARKER in ctypes.string_at(start, size) for start, size in shared_anonymous_memory())}
CALLS = 0`,
);

const context = runtimeTestContext("awm-episodes-");
let seedDb: string;

before(() => {
  seedDb = context.seedDatabase(SHOP_SEED_SQL);
});
after(() => context.cleanup());

interface State {
  calls: number;
  notes: Record<string, string>;
  products: string[];
  pid: number;
  imported_in: number;
}

const state = async (episode: EnvironmentInstance) => (await episode.callTool("state")).body as State;
const SEED_PRODUCTS = ["Mug", "Plate", "Bowl"];

describe("episodes of one environment", () => {
  test("a reset brings module state and database back to a fresh import's", async () => {
    const episode = await context.start(MEMORY_SHOP, seedDb);
    const fresh = await state(episode);
    assert.deepEqual([fresh.calls, fresh.notes, fresh.products], [0, {}, SEED_PRODUCTS]);
    for (const key of ["a", "b", "c"]) await episode.callTool("add_note", { key, value: key.toUpperCase() });
    const played = await state(episode);
    assert.deepEqual([played.calls, played.notes, played.products], [3, { a: "A", b: "B", c: "C" }, [...SEED_PRODUCTS, "a", "b", "c"]]);
    await episode.reset();
    const again = await state(episode);
    assert.deepEqual([again.calls, again.notes, again.products], [0, {}, SEED_PRODUCTS]);
    assert.notEqual(again.pid, played.pid, "a reset is a new process");
  });

  test("two live episodes never see each other's calls, rows or memory, and share one import", async () => {
    const [one, two] = await Promise.all([context.start(MEMORY_SHOP, seedDb), context.start(MEMORY_SHOP, seedDb)]);
    await one.callTool("add_note", { key: "only-one", value: "1" });
    await two.callTool("add_note", { key: "only-two", value: "2" });
    await two.callTool("add_note", { key: "again-two", value: "2" });
    const [first, second] = [await state(one), await state(two)];
    assert.deepEqual([first.calls, first.notes, first.products], [1, { "only-one": "1" }, [...SEED_PRODUCTS, "only-one"]]);
    assert.deepEqual([second.calls, second.notes, second.products], [2, { "only-two": "2", "again-two": "2" }, [...SEED_PRODUCTS, "only-two", "again-two"]]);
    assert.notEqual(first.pid, second.pid);
    assert.equal(first.imported_in, second.imported_in, "both are forks of the one process that imported the code");
  });

  test("an episode writes only its own folder and sees nothing of the host's nor of other episodes", async () => {
    const [one, two] = await Promise.all([context.start(MEMORY_SHOP, seedDb), context.start(MEMORY_SHOP, seedDb)]);
    assert.deepEqual((await one.callTool("write_file", { path: "/episode/mine.txt" })).body, { written: true });
    assert.deepEqual((await two.callTool("list_dir", { path: "/episode" })).body, { entries: ["state.db"] }, "the other episode's /episode is its own");
    const host = (await one.callTool("write_file", { path: "/instance/planted.py" })).body as { written: boolean; error: string };
    assert.equal(host.written, false);
    assert.match(host.error, /Read-only file system/);
    await one.callTool("write_file", { path: "/tmp/shared.txt" });
    assert.deepEqual((await two.callTool("list_dir", { path: "/tmp" })).body, { entries: [] }, "each episode has its own /tmp");
    // The host's folder (its template, what its import left there) and the host's terminals are hidden.
    assert.deepEqual((await two.callTool("list_dir", { path: "/instance" })).body, { entries: [] });
    assert.deepEqual((await two.callTool("list_dir", { path: "/dev/pts" })).body, { entries: [] });
    // Nor the other processes (the other episodes' names and command lines): /proc shows its own entry only.
    assert.deepEqual((await two.callTool("list_dir", { path: "/proc" })).body, { entries: ["self"] });
    assert.ok(((await two.callTool("list_dir", { path: "/proc/self/fd" })).body as { entries: string[] }).entries.length > 0);
    // Outside its own folders nothing is writable, not even the sandbox's root and /dev (tmpfs folders of the sandbox's user).
    for (const path of ["/planted.txt", "/dev/planted", "/opt/planted"]) {
      const planted = (await one.callTool("write_file", { path })).body as { written: boolean; error: string };
      assert.deepEqual([planted.written, /Read-only file system/.test(planted.error)], [false, true], `${path}: ${planted.error}`);
    }
  });

  test("System V shared memory one episode makes is not there for another, nor after a reset", async () => {
    const [one, two] = await Promise.all([context.start(MEMORY_SHOP, seedDb), context.start(MEMORY_SHOP, seedDb)]);
    assert.deepEqual((await one.callTool("segment", { create: true })).body, { found: true, error: null });
    assert.deepEqual((await one.callTool("segment", { create: false })).body, { found: true, error: null }, "the episode finds its own");
    assert.deepEqual((await two.callTool("segment", { create: false })).body, { found: false, error: "No such file or directory" });
    await one.reset();
    assert.deepEqual((await one.callTool("segment", { create: false })).body, { found: false, error: "No such file or directory" });
  });

  test("a key one episode adds to any keyring it holds is not found by another, nor after a reset", async () => {
    const [one, two] = await Promise.all([context.start(MEMORY_SHOP, seedDb), context.start(MEMORY_SHOP, seedDb)]);
    const planted = { session: true, user: true, user_session: true };
    assert.deepEqual((await one.callTool("keyring", { add: true })).body, planted);
    assert.deepEqual((await one.callTool("keyring", { add: false })).body, planted, "the episode finds its own key in each");
    const notFound = { session: "Required key not available", user: "Required key not available", user_session: "Required key not available" };
    assert.deepEqual((await two.callTool("keyring", { add: false })).body, notFound);
    await one.reset();
    assert.deepEqual((await one.callTool("keyring", { add: false })).body, notFound);
  });

  test("an import that makes its host hang on a spawn fails the start within its time, not forever", async () => {
    // The import's code rewrites the host: its os.fork never returns, so the host never answers.
    const stuck = awmEnvironment(`
import time
os.fork = lambda: time.sleep(3600)

@app.get("/ping", operation_id="ping")
def ping():
    return {"ok": True}
`);
    await assert.rejects(context.start(stuck, seedDb, { limits: { startTimeoutMs: 3_000 } }), /did not answer "spawn episode \d+" within 3000 ms/);
  });

  test("a crash, a hang and a memory bomb each end their episode only, with the reason", async () => {
    const crasher = await context.start(MEMORY_SHOP, seedDb);
    const hanger = await context.start(MEMORY_SHOP, seedDb, { limits: { callTimeoutMs: 1_000 } });
    const bomber = await context.start(MEMORY_SHOP, seedDb, { limits: { memoryBytes: 512 * 2 ** 20 } });
    const bystander = await context.start(MEMORY_SHOP, seedDb);
    await bystander.callTool("add_note", { key: "survivor", value: "yes" });
    await assert.rejects(crasher.callTool("crash"), /instance crashed \(exited with code 7\)/);
    await assert.rejects(hanger.callTool("hang"), /exceeded 1000 ms; the instance was stopped/);
    const bombed = await bomber.callTool("bomb").then(
      (answer) => answer,
      (error: Error) => error,
    );
    // RLIMIT_AS turns the bomb into a MemoryError answered as a 500, or the cgroup's OOM kill ends it.
    if (bombed instanceof Error) assert.match(bombed.message, /out of memory/);
    else assert.match((bombed.traceback?.text ?? "") + JSON.stringify(bombed.body), /MemoryError/);
    assert.deepEqual([crasher.status, hanger.status], ["crashed", "crashed"]);
    const survivor = await state(bystander);
    assert.deepEqual([survivor.calls, survivor.notes], [1, { survivor: "yes" }]);
    assert.equal(bystander.status, "running");
  });

  test("later episodes copy up front the pages the first ones wrote; none reaches another through the memory the learning shares", async () => {
    const copied = async (episode: EnvironmentInstance) => ((await episode.callTool("pad_copied")).body as { copied: number }).copied;
    const found = async (episode: EnvironmentInstance) => ((await episode.callTool("find_mark")).body as { found: boolean }).found;
    // The first forks of a new host learn: each reports, at each snapshot, the host's pages it wrote.
    const [attacker, learner] = [await context.start(PAGE_PROBE, seedDb), await context.start(PAGE_PROBE, seedDb)];
    assert.equal(await copied(learner), 0, "a learner copies nothing up front");
    await learner.callTool("touch_pad");
    await learner.snapshot(path.join(context.root, "learner.db"));
    // The attack: write over every shared anonymous mapping in reach (the learner's own report among
    // them), for the other episodes to find, and to feed the host a false report.
    const marked = (await attacker.callTool("mark_shared_memory")).body as { regions: number };
    assert.ok(marked.regions >= 1, "a learner holds its report region");
    assert.equal(await found(learner), false, "one learner does not reach another's report");
    await Promise.all([attacker.stop(), learner.stop()]);
    // A spare was forked while they ran; the one forked behind it copies what the learner wrote.
    const forks = [await context.start(PAGE_PROBE, seedDb), await context.start(PAGE_PROBE, seedDb)];
    const later = forks[1]!;
    assert.equal(await copied(later), 63, "every whole page the learner wrote is this fork's own before it writes any");
    assert.equal(await found(later), false);
    const fresh = await state(later);
    assert.deepEqual([fresh.calls, fresh.notes, fresh.products], [0, {}, SEED_PRODUCTS], "the false report changed nothing the episode sees");
  });

  test("an episode reaches neither its host nor another episode by signal or socket; its own processes it can signal", async () => {
    const [one, two] = await Promise.all([context.start(MEMORY_SHOP, seedDb), context.start(MEMORY_SHOP, seedDb)]);
    const [first, second] = [await state(one), await state(two)];
    for (const pid of [first.imported_in, second.pid]) {
      assert.deepEqual((await one.callTool("send_kill", { pid })).body, { sent: false, error: "Operation not permitted" }, `SIGKILL to pid ${pid}`);
    }
    assert.deepEqual((await one.callTool("kill_own_child")).body, { status: -9 });
    assert.deepEqual((await two.callTool("state")).status, 200, "the other episode serves");
    // An abstract unix socket and a loopback port one episode listens on, the other cannot reach.
    assert.deepEqual((await one.callTool("listen", { address: "@awm-episode-one" })).body, { listening: true });
    assert.deepEqual((await one.callTool("connect", { address: "@awm-episode-one" })).body, { connected: true }, "the episode reaches its own");
    assert.deepEqual((await two.callTool("connect", { address: "@awm-episode-one" })).body, { connected: false, error: "Connection refused" });
    await one.callTool("listen", { address: "8765" });
    assert.equal(((await two.callTool("connect", { address: "8765" })).body as { connected: boolean }).connected, false);
  });

  test("an episode that moves itself into its host's process group is still ended by a reset", { timeout: 30_000 }, async () => {
    const episode = await context.start(MEMORY_SHOP, seedDb);
    const before = await state(episode);
    assert.equal((await episode.callTool("leave_group")).status, 200);
    await episode.reset();
    const after = await state(episode);
    assert.notEqual(after.pid, before.pid);
    // A reset answers from the spare at once and ends the old episode behind it (instance.ts): on a
    // busy machine the end trails the answer. Until it is gone the old one is there but out of reach
    // (its signal refused); a signal that reaches it fails the test at once.
    const gone = { sent: false, error: "No such process" };
    const outOfReach = JSON.stringify({ sent: false, error: "Operation not permitted" });
    let answer: unknown;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
      answer = (await episode.callTool("send_kill", { pid: before.pid })).body;
      if (JSON.stringify(answer) !== outOfReach) break;
    }
    assert.deepEqual(answer, gone, "the old episode is gone");
  });

  test("a host whose code forges control lines is ended for breaking the protocol; other environments keep serving", async () => {
    const bystander = await context.start(MEMORY_SHOP, seedDb);
    await assert.rejects(context.start(FORGER, seedDb), /broke its protocol: it answered something that is not a control message/);
    assert.equal((await bystander.callTool("state")).status, 200);
  });

  test("code that maps shared memory at its import gets a fresh import per episode: what one writes there no other reads", async () => {
    const [one, two] = await Promise.all([context.start(SHARED_AT_IMPORT, seedDb), context.start(SHARED_AT_IMPORT, seedDb)]);
    const host = liveHosts().find((candidate) => candidate.why?.includes("shared memory"));
    assert.ok(host, `a host says why it does not fork the import: ${JSON.stringify(liveHosts().map((candidate) => candidate.why))}`);
    assert.deepEqual((await one.callTool("share", { text: "from one" })).body, { shared: "from one" });
    assert.deepEqual((await one.callTool("shared")).body, { shared: "from one" });
    assert.deepEqual((await two.callTool("shared")).body, { shared: "" });
    await one.reset();
    assert.deepEqual((await one.callTool("shared")).body, { shared: "" }, "a reset starts from a fresh import's page");
  });

  test("code that leaves a hook that would run it in the host between episodes (a collector callback, an at-fork hook, a timer with its handler, a multiprocessing lock) is not forked", async () => {
    const cases = [
      { code: HOOK_AT_IMPORT, why: "a garbage-collector callback" },
      { code: AT_FORK_AT_IMPORT, why: "an at-fork hook" },
      { code: TIMER_AT_IMPORT, why: "a signal handler, a timer" },
      { code: LOCK_AT_IMPORT, why: "shared memory" },
    ];
    for (const { code, why } of cases) {
      const episode = await context.start(code, seedDb);
      const host = liveHosts().find((candidate) => candidate.why?.includes(why));
      assert.ok(host, `a host says "${why}": ${JSON.stringify(liveHosts().map((candidate) => candidate.why))}`);
      assert.equal(host.forkable, false);
      const fresh = await state(episode);
      assert.equal(fresh.imported_in, fresh.pid, `the episode imported the code itself (${why})`);
    }
  });

  test("an audit hook the code adds is refused: it sees neither the host's forks nor the episode's own events", async () => {
    const episode = await context.start(AUDIT_AT_IMPORT, seedDb);
    await episode.callTool("write_file", { path: "/tmp/audited" });
    assert.deepEqual((await episode.callTool("audited")).body, { audited: [] });
    const fresh = await state(episode);
    assert.notEqual(fresh.imported_in, fresh.pid, "nothing stays from the import to keep the host from forking it");
  });

  test("a process the import leaves is ended before any episode runs: it answers none of the episodes' requests", async () => {
    const episodes = await Promise.all([1, 2, 3].map(() => context.start(DAEMON_AT_IMPORT, seedDb)));
    const host = liveHosts().find((candidate) => candidate.why?.includes("processes running after its import"));
    assert.ok(host, `a host says why it does not fork the import: ${JSON.stringify(liveHosts().map((candidate) => candidate.why))}`);
    for (const episode of episodes) {
      for (let call = 0; call < 5; call++) assert.deepEqual((await state(episode)).products, SEED_PRODUCTS);
      await episode.reset();
    }
    assert.deepEqual((await state(episodes[0]!)).products, SEED_PRODUCTS);
  });

  test("code that keeps a file open after its import gets a fresh import per episode, and stays isolated", async () => {
    const [one, two] = await Promise.all([context.start(CONNECTION_AT_IMPORT, seedDb), context.start(CONNECTION_AT_IMPORT, seedDb)]);
    const host = liveHosts().find((candidate) => candidate.why?.includes("state.db"));
    assert.ok(host, `a host says why it does not fork the import: ${JSON.stringify(liveHosts().map((candidate) => candidate.why))}`);
    assert.equal(host.forkable, false);
    await one.callTool("add_note", { key: "x", value: "1" });
    const [first, second] = [await state(one), await state(two)];
    assert.deepEqual([first.calls, second.calls, second.products], [1, 0, SEED_PRODUCTS]);
    assert.notEqual(first.imported_in, second.imported_in, "each episode imported the code itself");
    await one.reset();
    assert.deepEqual((await state(one)).products, SEED_PRODUCTS);
  });
});
