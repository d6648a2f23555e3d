// The order runs wait in for the training pool, and the threads the runs on it hold. First in, first out: a
// run starts when its threads are free, and none jumps the queue even if it would fit. A data-parallel run
// holds as many threads as it trains on; a run alone on the pool always starts (capped to the pool's size).

export class RunQueue {
  /** Ids of the runs waiting, first in first out. */
  private readonly waiting: string[] = [];
  /** Ids of the runs on the pool. */
  private readonly onPool = new Set<string>();

  constructor(
    /** Threads the pool has. */
    private readonly poolThreads: number,
    /** Threads a run trains on (its summary's). */
    private readonly threadsOf: (id: string) => number,
  ) {}

  /** How many runs are on the pool now. */
  get running(): number {
    return this.onPool.size;
  }

  add(id: string): void {
    this.waiting.push(id);
  }

  /** Puts a run ahead of every waiting run except the leading ones `staysAhead` keeps in front (resumed runs
   *  keep the order they were resumed in). */
  addAhead(id: string, staysAhead: (waiting: string) => boolean): void {
    let at = 0;
    while (at < this.waiting.length && staysAhead(this.waiting[at])) at++;
    this.waiting.splice(at, 0, id);
  }

  /** Takes a waiting run out of the queue (stopped before it started). */
  remove(id: string): void {
    this.waiting.splice(this.waiting.indexOf(id), 1);
  }

  /** Empties the queue (quitting); runs on the pool stay counted until they end. */
  clear(): void {
    this.waiting.length = 0;
  }

  /** The first waiting run if its threads are free now, counted from now on as on the pool; else null. */
  startNext(): string | null {
    const id = this.waiting[0];
    if (id === undefined) return null;
    const wanted = Math.min(this.threadsOf(id), this.poolThreads);
    if (this.onPool.size > 0 && this.busyThreads() + wanted > this.poolThreads) return null;
    this.waiting.shift();
    this.onPool.add(id);
    return id;
  }

  /** Whether the first waiting run would start if the runs `leaving` left the pool (false when none waits). */
  fitsWithout(leaving: readonly string[]): boolean {
    const id = this.waiting[0];
    if (id === undefined) return false;
    let busy = 0;
    for (const on of this.onPool) if (!leaving.includes(on)) busy += this.threadsOf(on);
    return busy === 0 || busy + Math.min(this.threadsOf(id), this.poolThreads) <= this.poolThreads;
  }

  /** A run left the pool: its threads are free. */
  ended(id: string): void {
    this.onPool.delete(id);
  }

  /** Each waiting run with its 1-based place in the queue. */
  positions(): Array<{ id: string; position: number }> {
    return this.waiting.map((id, index) => ({ id, position: index + 1 }));
  }

  /** Threads in use by the runs on the pool. */
  private busyThreads(): number {
    let busy = 0;
    for (const id of this.onPool) busy += this.threadsOf(id);
    return busy;
  }
}
