import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cart } from '../src/cart.js';

const tea = { sku: 'TEA-01', name: 'Green tea', price: 4.5 };
const mug = { sku: 'MUG-02', name: 'Mug', price: 12 };

test('an empty cart costs nothing', () => {
  assert.equal(new Cart().total(), 0);
});

test('adding the same product twice adds up the quantity', () => {
  const cart = new Cart().add(tea).add(tea, 2);
  assert.equal(cart.count, 3);
});

test('removing a product takes it out of the cart', () => {
  const cart = new Cart().add(tea).add(mug).remove('TEA-01');
  assert.equal(cart.count, 1);
});
