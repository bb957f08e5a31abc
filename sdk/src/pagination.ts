// Lists answer `{ data, next_cursor }`. A list call returns a PagePromise: await it for the first
// page, or `for await` it for every item of every page, fetched one page at a time as you go.

export type PageBody<T> = { data: T[]; next_cursor: string | null };
type Fetcher<T> = (cursor: string | undefined) => Promise<PageBody<T>>;

export class Page<T> implements AsyncIterable<T> {
  readonly data: T[];
  readonly next_cursor: string | null;

  constructor(
    body: PageBody<T>,
    private readonly fetcher: Fetcher<T>,
  ) {
    this.data = body.data;
    this.next_cursor = body.next_cursor;
  }

  hasNextPage(): boolean {
    return this.next_cursor !== null;
  }

  /** The next page; null after the last. */
  async nextPage(): Promise<Page<T> | null> {
    if (this.next_cursor === null) return null;
    return new Page(await this.fetcher(this.next_cursor), this.fetcher);
  }

  /** Every page from this one on. */
  async *pages(): AsyncGenerator<Page<T>> {
    for (let page: Page<T> | null = this; page; page = await page.nextPage()) yield page;
  }

  /** Every item from this page on. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const page of this.pages()) yield* page.data;
  }
}

/** The first page's promise, iterable over every item. The first page is asked for once, when awaited or iterated. */
export class PagePromise<T> implements PromiseLike<Page<T>>, AsyncIterable<T> {
  private first: Promise<Page<T>> | undefined;

  constructor(private readonly fetcher: Fetcher<T>) {}

  private page(): Promise<Page<T>> {
    this.first ??= this.fetcher(undefined).then((body) => new Page(body, this.fetcher));
    return this.first;
  }

  then<A = Page<T>, B = never>(onFulfilled?: ((page: Page<T>) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.page().then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<Page<T> | B> {
    return this.page().catch(onRejected);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    yield* await this.page();
  }

  /** Every item of every page, collected (mind large lists). */
  async toArray(): Promise<T[]> {
    const all: T[] = [];
    for await (const item of this) all.push(item);
    return all;
  }
}
