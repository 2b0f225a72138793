import { Pipe, PipeTransform } from '@angular/core';
import { formatDateTime, formatDuration, formatMoney, formatOffset, formatPercent } from './format';
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

@Pipe({ name: 'when' })
export class WhenPipe implements PipeTransform {
  transform(v: string | null | undefined): string {
    return formatDateTime(v);
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
