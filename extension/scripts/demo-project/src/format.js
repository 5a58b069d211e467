// Formatting of prices for receipts.

/** Formats a price as, for example, "$4.50". */
export function formatPrice(amount, currency = '$') {
  return currency + amount;
}

/** Formats one receipt line, for example "2 x Green tea  $9.00". */
export function formatLine(line) {
  const subtotal = line.product.price * line.quantity;
  return `${line.quantity} x ${line.product.name}  ${formatPrice(subtotal)}`;
}
