"""The host's pages its episodes write, learned from its first episodes and copied in one go in the next.

A fork shares the host's memory; each page an episode writes is copied at its first write, by a
page fault. An episode of a small environment writes some 2,800 of the host's pages (Python keeps
a reference count inside every object it touches). On the VMs this runs on, MADV_POPULATE_WRITE
copies them in about 23 ms, one call per run of pages, where their faults took about 60 ms. So the
first episodes of a host (the learners) report which of the host's pages they wrote, and every
later fork copies those pages, and only those, as soon as it is in its own cgroup.

A learner reads its own /proc/self/pagemap: a page of the host's private writable memory that is
present and mapped by this process alone has been copied (or first touched) by it. It reports
through a shared mapping only it and the host hold: every other fork unmaps it before it runs any
code of the environment. The host reads the reports before each fork and keeps, of what a report
names, only pages of its own private writable memory, at most REPORT_CAP of them: a false report
costs later forks time and memory within their limits, and nothing else.

What later forks copy is the one thing learners pass on: code of the environment that set out to
could write a few kilobytes into that choice of pages for its later episodes to read back (from
their own pagemap, or by timing). No episode reads another's memory, files or database through it.
"""

import array
import bisect
import ctypes
import mmap
import os
import sys

import sandbox_process

LEARNERS = 3
REPORT_CAP = 16384  # pages (64 MiB): more than any episode of a generated environment was seen to write
MADV_POPULATE_WRITE = 23
PRESENT, FILE_OR_SHARED, EXCLUSIVE = 1 << 63, 1 << 61, 1 << 56
PAGE_SHIFT = mmap.PAGESIZE.bit_length() - 1

libc = sandbox_process.libc
libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]


class WrittenPages:
    """The host's side: which fork learns, the reports read back, the pages every later fork copies."""

    def __init__(self):
        self.learners_left = LEARNERS
        self.second_chances = LEARNERS  # for learners that ended without a report
        self.reports = {}  # pid -> mmap of a learner still running
        self.read = {}  # pid -> the report as last taken in
        self.pages = frozenset()
        self.runs = ()  # (address, bytes) of self.pages, merged

    def report_for_next_fork(self):
        """Before each fork: what the running learners have reported so far is taken in. A report
        region when the next fork is to learn (to be handed to the fork's `in_fork`), else None."""
        for pid, report in self.reports.items():
            self.learn(pid, report)
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
        if not self.learn(pid, report) and self.second_chances > 0:
            self.second_chances -= 1
            self.learners_left += 1  # it ended before any snapshot: a later fork learns in its place
        self.read.pop(pid, None)
        report.close()

    def learn(self, pid, report):
        """The pages `report` names join those later forks copy; whether it names any. A report
        read while its learner rewrites it is a mix of two, each naming pages the learner wrote."""
        count = min(int.from_bytes(report[:8], "little"), REPORT_CAP)
        text = report[8 : 8 + 8 * count]
        if text != self.read.get(pid):
            self.read[pid] = text
            learned = self.pages.union(private_writable_pages(array.array("Q", text)))
            if len(learned) > len(self.pages):
                self.pages = frozenset(sorted(learned)[:REPORT_CAP])
                self.runs = tuple(runs_of(sorted(self.pages)))
        return count > 0

    def in_fork(self):
        """In a new fork, before anything else: the other learners' reports unmapped."""
        for other in self.reports.values():
            other.close()
        self.reports = {}

    def in_own_cgroup(self, report):
        """In a fork, once it is in its own cgroup (what it copies is its memory): it learns (its
        Learner is returned) when it was given a report region, else it copies the learned pages."""
        if report is None:
            for address, length in self.runs:
                libc.madvise(address, length, MADV_POPULATE_WRITE)  # an address gone since is refused, harmlessly
            return None
        try:
            return Learner(report)
        except Exception as error:  # noqa: BLE001 - the episode serves all the same, and teaches nothing
            print(f"this episode does not learn which pages it writes: {error!r}", file=sys.stderr)
            report.close()
            return None


class Learner:
    """In a learning fork: the host's private writable memory as at the fork, and this process's pagemap."""

    def __init__(self, report):
        self.report = report
        self.regions = private_writable_regions()
        # A non-dumpable process's /proc files belong to root: dumpable for the open alone, in the
        # host's user namespace, where no process runs code of the environment (each episode has
        # its own), before this one runs any.
        libc.prctl(sandbox_process.PR_SET_DUMPABLE, 1, 0, 0, 0)
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
        except Exception as error:  # noqa: BLE001 - learning must never fail the snapshot it rides on
            print(f"this episode stops learning which pages it writes: {error!r}", file=sys.stderr)
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
    return [(start, end) for start, end, permissions, _ in sandbox_process.memory_mappings() if permissions[:2] == "rw" and permissions[3] == "p"]


def private_writable_pages(pages):
    """The page numbers of `pages` in this process's private writable memory."""
    regions = private_writable_regions()
    starts = [start >> PAGE_SHIFT for start, _ in regions]
    ends = [end >> PAGE_SHIFT for _, end in regions]

    def inside(page):
        index = bisect.bisect_right(starts, page) - 1
        return index >= 0 and page < ends[index]

    return [page for page in pages if inside(page)]


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
