// A shopping cart: items by SKU with quantities, and the total price.

export class Cart {
  constructor() {
    this.lines = new Map();
  }

  /** Adds `quantity` of `product` to the cart. */
  add(product, quantity = 1) {
    const line = this.lines.get(product.sku);
    if (line) {
      line.quantity += quantity;
    } else {
      this.lines.set(product.sku, { product, quantity });
    }
    return this;
  }

  /** Removes a product from the cart entirely. */
  remove(sku) {
    this.lines.delete(sku);
    return this;
  }

  /** The number of items in the cart. */
  get count() {
    let count = 0;
    for (const line of this.lines.values()) {
      count += line.quantity;
    }
    return count;
  }

  /** The total price of the cart. */
  total() {
    let sum = 0;
    for (const line of this.lines.values()) {
      sum += line.product.price;
    }
    return sum;
  }
}
