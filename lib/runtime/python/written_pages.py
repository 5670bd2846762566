"""The host's pages its episodes write, learned from its first episodes and copied in one go in the next.

A fork shares the host's memory; each page an episode writes is copied at its first write, by a
page fault. An episode of a small environment writes some 2,800 of the host's pages (Python keeps
a reference count inside every object it touches). On the VMs this runs on, MADV_POPULATE_WRITE
copies them in about 23 ms, one call per run of pages, where their faults took about 60 ms. So the
first episodes of a host (the learners) report which of the host's pages they wrote, and every
later fork copies those pages, and only those, before it serves.

A learner reads its own /proc/self/pagemap: a page of the host's private writable memory that is
present and mapped by this process alone has been copied (or first touched) by it. It reports
through a shared mapping only it and the host hold: every other fork unmaps it at once, so no
episode reads what another wrote. The host reads the reports before each fork, and bounded
(REPORT_CAP pages); what it names is only ever prefaulted, in the fork's own memory, so a false
report costs that fork time and memory within its limits, and nothing else.
"""

import array
import ctypes
import mmap
import os
import sys

import sandbox_process

LEARNERS = 3
REPORT_CAP = 16384  # pages (64 MiB): more than any episode of a generated environment was seen to write
MADV_POPULATE_WRITE = 23
PR_SET_DUMPABLE = 4
PRESENT, FILE_OR_SHARED, EXCLUSIVE = 1 << 63, 1 << 61, 1 << 56
PAGE_SHIFT = mmap.PAGESIZE.bit_length() - 1

libc = sandbox_process.libc
libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]


class WrittenPages:
    """The host's side: which fork learns, the reports read back, the pages every later fork copies."""

    def __init__(self):
        self.learners_left = LEARNERS
        self.reports = {}  # pid -> mmap of a learner still running
        self.pages = frozenset()
        self.runs = ()  # (address, bytes) of self.pages, merged

    def report_for_next_fork(self):
        """Before each fork: what the running learners have reported so far is taken in. A report
        region when the next fork is to learn (to be handed to `in_fork`), else None."""
        for report in self.reports.values():
            self.learn(report)
        if self.learners_left == 0:
            return None
        self.learners_left -= 1
        return mmap.mmap(-1, 8 + 8 * REPORT_CAP)

    def forked(self, pid, report):
        if report is not None:
            self.reports[pid] = report

    def ended(self, pid):
        """A fork has ended: when it learned, its last report is taken in."""
        report = self.reports.pop(pid, None)
        if report is None:
            return
        if not self.learn(report):
            self.learners_left += 1  # it ended before any snapshot: a later fork learns in its place
        report.close()

    def learn(self, report):
        """The pages `report` names join those later forks copy; whether it names any. A report
        read while its learner rewrites it is a mix of two, each naming pages the learner wrote."""
        count = min(int.from_bytes(report[:8], "little"), REPORT_CAP)
        pages = array.array("Q", report[8 : 8 + 8 * count])
        if not self.pages.issuperset(pages):
            self.pages = frozenset(sorted(self.pages.union(pages))[:REPORT_CAP])
            self.runs = tuple(runs_of(sorted(self.pages)))
        return len(pages) > 0

    def in_fork(self, report):
        """In a new fork, before it runs anything else: the other learners' reports unmapped, and
        a Learner when this fork is to learn."""
        for other in self.reports.values():
            other.close()
        self.reports = {}
        if report is None:
            return None
        try:
            return Learner(report)
        except OSError as error:  # the episode serves all the same, and teaches nothing
            print(f"this episode does not learn which pages it writes: {error}", file=sys.stderr)
            report.close()
            return None

    def copy_learned(self):
        """In a fork that does not learn, once it is in its own cgroup (the copies are its memory)."""
        for address, length in self.runs:
            libc.madvise(address, length, MADV_POPULATE_WRITE)  # an address gone since is refused, harmlessly


class Learner:
    """In a learning fork: the host's private writable memory as at the fork, and this process's pagemap."""

    def __init__(self, report):
        self.report = report
        self.regions = private_writable_regions()
        # A non-dumpable process's /proc files belong to root; dumpable for the open alone, before
        # any code of the environment runs in this process.
        libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
        try:
            self.pagemap = os.open("/proc/self/pagemap", os.O_RDONLY | os.O_CLOEXEC)
        finally:
            sandbox_process.make_untraceable()

    def write_report(self):
        """The host's pages this process has written so far (a later report replaces an earlier one)."""
        if self.pagemap is None:
            return
        try:
            found = self.written()
        except OSError as error:
            print(f"this episode stops learning which pages it writes: {error}", file=sys.stderr)
            os.close(self.pagemap)
            self.pagemap = None
            return
        self.report[8 : 8 + 8 * len(found)] = found.tobytes()
        self.report[:8] = len(found).to_bytes(8, "little")

    def written(self):
        found = array.array("Q")
        for start, end in self.regions:
            entries = array.array("Q", os.pread(self.pagemap, ((end - start) >> PAGE_SHIFT) * 8, (start >> PAGE_SHIFT) * 8))
            first = start >> PAGE_SHIFT
            found.extend(first + index for index, entry in enumerate(entries) if entry & (PRESENT | FILE_OR_SHARED | EXCLUSIVE) == PRESENT | EXCLUSIVE)
            if len(found) >= REPORT_CAP:
                break
        del found[REPORT_CAP:]
        return found


def private_writable_regions():
    """(start, end) of each region of this process's private writable memory, in address order."""
    regions = []
    with open("/proc/self/maps", encoding="ascii") as maps:
        for line in maps:
            bounds, permissions = line.split(maxsplit=2)[:2]
            if permissions[:2] == "rw" and permissions[3] == "p":
                regions.append(tuple(int(bound, 16) for bound in bounds.split("-")))
    return regions


def runs_of(pages):
    """(address, bytes) of each run of consecutive page numbers in sorted `pages`."""
    start = previous = None
    for page in pages:
        if previous is not None and page == previous + 1:
            previous = page
            continue
        if start is not None:
            yield start << PAGE_SHIFT, (previous - start + 1) << PAGE_SHIFT
        start = previous = page
    if start is not None:
        yield start << PAGE_SHIFT, (previous - start + 1) << PAGE_SHIFT
