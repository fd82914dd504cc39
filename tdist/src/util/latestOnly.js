/**
 * Runs `task` one call at a time, for the latest request only: a request made while it runs is
 * remembered (several collapse into one) and runs once it has finished. For work whose newest
 * input supersedes the rest (hand on the newest index version).
 */
export class LatestOnly {
    task;
    running = null;
    again = false;
    constructor(task) {
        this.task = task;
    }
    request() {
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
    async idle() {
        while (this.running)
            await this.running;
    }
}
//# sourceMappingURL=latestOnly.js.map