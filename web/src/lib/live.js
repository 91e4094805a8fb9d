// The live connection: an EventSource on /api/v1/stream that reports a clear status and comes
// back by itself after the engine restarts.
//
// Status: 'connecting' (first attempt), 'live' (frames arriving), 'reconnecting' (the stream
// broke or went quiet; the browser or this class is retrying).

export class LiveStream {
  constructor({ url, onFrame, onStatus, staleMs = 3500, retryMs = 1000, EventSourceImpl = globalThis.EventSource }) {
    this.url = url;
    this.onFrame = onFrame;
    this.onStatus = onStatus;
    this.staleMs = staleMs;
    this.retryMs = retryMs;
    this.EventSourceImpl = EventSourceImpl;
    this.es = null;
    this.status = 'idle';
    this.lastFrameAt = 0;
    this.retryTimer = null;
    this.watchdog = null;
    this.everLive = false;
  }

  setStatus(s) {
    if (s === this.status) return;
    this.status = s;
    this.onStatus?.(s);
  }

  start() {
    this.open();
    this.watchdog = setInterval(() => this.checkStale(), 1000);
  }

  stop() {
    clearInterval(this.watchdog);
    clearTimeout(this.retryTimer);
    this.close();
    this.setStatus('idle');
  }

  // Reconnects to a new URL (e.g. another store); the new connection starts with a full frame.
  setUrl(url) {
    if (url === this.url) return;
    this.url = url;
    this.close();
    this.open();
  }

  close() {
    if (this.es) {
      this.es.close();
      this.es = null;
    }
  }

  open() {
    clearTimeout(this.retryTimer);
    this.setStatus(this.everLive ? 'reconnecting' : 'connecting');
    const es = new this.EventSourceImpl(this.url);
    this.es = es;
    this.lastFrameAt = Date.now();
    es.addEventListener('update', (ev) => {
      if (es !== this.es) return;
      let frame;
      try {
        frame = JSON.parse(ev.data);
      } catch {
        return; // a torn frame: the next one is complete
      }
      this.lastFrameAt = Date.now();
      this.everLive = true;
      this.setStatus('live');
      this.onFrame(frame);
    });
    es.addEventListener('error', () => {
      if (es !== this.es) return;
      this.setStatus(this.everLive ? 'reconnecting' : 'connecting');
      // CONNECTING: the browser retries by itself (retry: 1000). CLOSED: it gave up (e.g. an
      // HTTP error while the engine was starting); retry here.
      if (es.readyState === 2) this.scheduleRetry();
    });
  }

  scheduleRetry() {
    this.close();
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), this.retryMs);
  }

  // A stream that stays open but sends nothing (a hung engine, a proxy) counts as broken.
  checkStale() {
    if (!this.es) return;
    if (Date.now() - this.lastFrameAt > this.staleMs) {
      this.setStatus(this.everLive ? 'reconnecting' : 'connecting');
      this.close();
      this.open();
    }
  }
}

export const STATUS_TEXT = {
  idle: 'Paused',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};
