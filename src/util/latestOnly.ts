/**
 * Runs `task` one call at a time, for the latest request only: a request made while it runs is
 * remembered (several collapse into one) and runs once it has finished. For work whose newest
 * input supersedes the rest (hand on the newest index version).
 */
export class LatestOnly {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly task: () => Promise<void>) {}

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.task()
      .catch(() => undefined)
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.request();
        }
      });
  }

  /** Resolves when no run is in flight or requested (the task's failures are its own to report). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}
