import { Injectable, inject } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { RouterStateSnapshot, TitleStrategy } from '@angular/router';
import { RuntimeConfig } from './runtime-config';

/**
 * The tab's title: the record a page shows (a page says which once it has loaded it), the route's
 * own title, the app: "Ava · Agent · AI Call Center". Tabs and history name what they hold.
 */
@Injectable({ providedIn: 'root' })
export class PageTitle {
  private readonly title = inject(Title);
  private readonly config = inject(RuntimeConfig);
  private page = '';

  /** The route's title, set by the router on each navigation (drops the last record). */
  route(page: string | undefined): void {
    this.page = page ?? '';
    this.apply([this.page]);
  }

  /** The record the page shows, in front of the route's title. */
  record(name: string): void {
    this.apply([name, this.page]);
  }

  private apply(parts: string[]): void {
    this.title.setTitle([...parts, this.config.config().appName].filter(Boolean).join(' · '));
  }
}

@Injectable()
export class AppTitleStrategy extends TitleStrategy {
  private readonly pageTitle = inject(PageTitle);

  override updateTitle(snapshot: RouterStateSnapshot): void {
    this.pageTitle.route(this.buildTitle(snapshot));
  }
}
