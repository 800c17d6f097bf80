/**
 * A first-in first-out queue on a circular array: push, shift and take are O(1) per item, where `Array.shift` moves
 * every remaining item. It grows by doubling (never shrinks), so its memory follows the most it ever held.
 */
export class RingBuffer<T> {
  private items: Array<T | undefined>;
  private head = 0;
  private count = 0;

  constructor(initialCapacity = 1024) {
    this.items = new Array(powerOfTwoAtLeast(Math.max(initialCapacity, 2)));
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & (this.items.length - 1)] = item;
    this.count++;
  }

  /** Removes the oldest item (undefined when empty). */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined; // let the row be collected
    this.head = (this.head + 1) & (this.items.length - 1);
    this.count--;
    return item;
  }

  /** Removes the `n` oldest items (at most all of them) and returns them in order, as a new array. */
  take(n: number): T[] {
    const taken = Math.min(n, this.count);
    const out: T[] = new Array(taken);
    const mask = this.items.length - 1;
    for (let i = 0; i < taken; i++) {
      const at = (this.head + i) & mask;
      out[i] = this.items[at] as T;
      this.items[at] = undefined;
    }
    this.head = (this.head + taken) & mask;
    this.count -= taken;
    return out;
  }

  private grow(): void {
    const larger: Array<T | undefined> = new Array(this.items.length * 2);
    for (let i = 0; i < this.count; i++) larger[i] = this.items[(this.head + i) & (this.items.length - 1)];
    this.items = larger;
    this.head = 0;
  }
}

function powerOfTwoAtLeast(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
