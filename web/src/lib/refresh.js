// Re-reading API endpoints while the pipeline reports new events: at most once per interval,
// never two reads at once, and a trailing read when asked during the pause or during a read,
// so the last change is always fetched (a view does not freeze one event short of the end
// of a file). No DOM; timers and clock are injectable for tests.
export function createRefresher(run, { intervalMs = 1000, now = () => Date.now(), setTimer = setTimeout, clearTimer = clearTimeout } = {}) {
  let last = -Infinity; // start time of the last read
  let running = false;
  let wanted = false; // asked for while a read ran or during the pause
  let wantedNow = false; // ... and forced: read again as soon as the running one ends
  let timer = null;
  let stopped = false;

  async function fire() {
    timer = null;
    if (stopped) return;
    running = true;
    wanted = false;
    wantedNow = false;
    last = now();
    try {
      await run();
    } catch {
      // A failed read is the view's business (it shows its own state); keep refreshing.
    } finally {
      running = false;
      if (wanted && !stopped) {
        if (wantedNow) timer = setTimer(fire, 0);
        else schedule();
      }
    }
  }

  function schedule() {
    if (timer !== null) return;
    const wait = Math.max(0, last + intervalMs - now());
    timer = setTimer(fire, wait);
  }

  return {
    // force: read now even within the interval (a parameter changed), still never two at once.
    request(force = false) {
      if (stopped) return;
      if (running) {
        wanted = true;
        wantedNow ||= force;
        return;
      }
      if (force) {
        if (timer !== null) clearTimer(timer);
        timer = null;
        fire();
        return;
      }
      if (now() - last >= intervalMs && timer === null) fire();
      else schedule();
    },
    stop() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
    get running() {
      return running;
    },
  };
}

// Keeps only the newest answer when several requests overlap (a budget typed twice quickly):
// `const t = latest.next(); const r = await fetch(...); if (!latest.isCurrent(t)) return;`
export function createLatest() {
  let n = 0;
  return {
    next: () => ++n,
    isCurrent: (t) => t === n,
  };
}
