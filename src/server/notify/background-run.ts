/**
 * One piece of background work that never runs twice at once: `kick()` starts it, a kick during a
 * run asks for one more run after it (so nothing that became due meanwhile waits for the timer),
 * and `drain()` waits until it is idle (tests, and a clean shutdown). Used by the urgent-case
 * notification outbox and the survey e-mail outbox.
 */
export class BackgroundRun {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void
  ) {}

  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.work();
        } catch (error) {
          this.onError(error);
        }
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
  }

  async drain(): Promise<void> {
    while (this.running) await this.running;
  }
}
