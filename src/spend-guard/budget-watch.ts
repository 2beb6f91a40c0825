// Watches the send budgets as they count codes: `gateway_send_budget_used_ratio{budget}` shows how far each is
// used in its current hour (per-country budgets as `sms-country-hour:<country>`), and a budget past 80 % logs
// one warning per window, so an operator hears of an attack before codes stop.
import type { BudgetObserver } from '../limits/abuse-limiter';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';

/** Share of a budget past which one warning is logged per window. */
export const WARNING_RATIO = 0.8;

export class BudgetWatch {
  /** Per budget label: the share used at the last count, and when its window ends. */
  private readonly used = new Map<string, { ratio: number; windowEnds: number; warned: boolean }>();

  constructor(
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {
    metrics.refreshSendBudgets = () => this.report();
  }

  readonly observe: BudgetObserver = ({ rule, key, consumed, msBeforeNext }) => {
    const budget = rule.subject === 'sms-country' ? `${rule.name}:${key}` : rule.name;
    const ratio = Math.min(1, consumed / rule.points);
    const now = Date.now();
    const previous = this.used.get(budget);
    const sameWindow = previous !== undefined && previous.windowEnds > now;
    const warned = sameWindow && previous.warned;
    this.used.set(budget, {
      ratio,
      windowEnds: now + msBeforeNext,
      warned: warned || ratio >= WARNING_RATIO,
    });
    if (ratio >= WARNING_RATIO && !warned)
      this.logger.warn(
        { budget, used: consumed, points: rule.points },
        `send budget ${budget} is ${Math.round(ratio * 100)} % used`,
      );
    this.metrics.sendBudgetUsed.set({ budget }, ratio);
  };

  /** A budget whose window has ended is reported unused until it counts again. */
  private report(): void {
    const now = Date.now();
    for (const [budget, { ratio, windowEnds }] of this.used)
      this.metrics.sendBudgetUsed.set({ budget }, windowEnds > now ? ratio : 0);
  }
}
