import { Pipe, PipeTransform, inject } from '@angular/core';
import { WorkspaceZone } from '../core/workspace-zone';
import {
  formatDuration,
  formatMoney,
  formatOffset,
  formatPercent,
  formatPhone,
  formatWhen,
} from './format';
import { humanize } from './status-chip';

@Pipe({ name: 'duration' })
export class DurationPipe implements PipeTransform {
  transform(v: number | null | undefined): string {
    return formatDuration(v);
  }
}

@Pipe({ name: 'percent1' })
export class PercentPipe implements PipeTransform {
  transform(v: number | null | undefined): string {
    return formatPercent(v);
  }
}

@Pipe({ name: 'money' })
export class MoneyPipe implements PipeTransform {
  transform(v: number | null | undefined): string {
    return formatMoney(v);
  }
}

/**
 * An instant as `formatWhen` words it, in the workspace's zone. Impure, so "5 min ago" moves on
 * and a zone that arrives after the first render applies; the last answer is kept per minute.
 */
@Pipe({ name: 'when', pure: false })
export class WhenPipe implements PipeTransform {
  private readonly zone = inject(WorkspaceZone);
  private key = '';
  private last = '';

  transform(v: string | null | undefined, mode?: 'exact'): string {
    const timeZone = this.zone.zone();
    const now = Date.now();
    const key = `${v}|${mode}|${timeZone}|${Math.floor(now / 60_000)}`;
    if (key !== this.key) {
      this.key = key;
      this.last = formatWhen(v, { timeZone, now, exact: mode === 'exact' });
    }
    return this.last;
  }
}

@Pipe({ name: 'phone' })
export class PhonePipe implements PipeTransform {
  transform(v: string | null | undefined): string {
    return formatPhone(v);
  }
}

@Pipe({ name: 'offset' })
export class OffsetPipe implements PipeTransform {
  transform(v: number): string {
    return formatOffset(v);
  }
}

@Pipe({ name: 'humanize' })
export class HumanizePipe implements PipeTransform {
  transform(v: string | null | undefined): string {
    return humanize(v);
  }
}
