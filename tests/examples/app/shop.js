// Argus Shop: a tiny static storefront. The cart lives in localStorage.
const PRODUCTS = {
  p1: { name: 'Trail Runner', price: 25.0, blurb: 'Light running shoe for rough paths.' },
  p2: { name: 'Canvas Backpack', price: 17.0, blurb: 'Twenty litres, two pockets, one laptop sleeve.' },
  p3: { name: 'Steel Water Bottle', price: 12.5, blurb: 'Keeps water cold for a whole day.' },
  p4: { name: 'Wool Beanie', price: 9.0, blurb: 'Merino, one size.' },
};
const CART_KEY = 'argus-cart';

function money(value) {
  return '$' + value.toFixed(2);
}

function readCart() {
  try {
    return JSON.parse(localStorage.getItem(CART_KEY)) || {};
  } catch {
    return {};
  }
}

function writeCart(cart) {
  localStorage.setItem(CART_KEY, JSON.stringify(cart));
  updateCartCount();
}

function addToCart(id) {
  const cart = readCart();
  cart[id] = (cart[id] || 0) + 1;
  writeCart(cart);
  const toast = document.getElementById('toast');
  if (toast) toast.textContent = `Added ${PRODUCTS[id].name} to your cart`;
}

function cartTotal(cart) {
  return Object.entries(cart).reduce((sum, [id, qty]) => sum + PRODUCTS[id].price * qty, 0);
}

function updateCartCount() {
  const count = Object.values(readCart()).reduce((a, b) => a + b, 0);
  document.querySelectorAll('[data-testid="cart-count"]').forEach((el) => (el.textContent = String(count)));
}

function initCatalog() {
  document.querySelectorAll('[data-testid="add-to-cart"]').forEach((button) => {
    button.addEventListener('click', () => addToCart(button.closest('[data-product-id]').dataset.productId));
  });
  // Marketing asked for the banner to "slide in" once the page has settled.
  setTimeout(() => {
    const banner = document.createElement('div');
    banner.id = 'promo-banner';
    banner.className = 'promo sc-kEqYlL';
    banner.setAttribute('role', 'status');
    banner.textContent = 'Free shipping on orders over $50';
    document.getElementById('promo-slot').append(banner);
  }, 800);
}

async function initProduct() {
  const id = new URLSearchParams(location.search).get('id') || 'p1';
  const product = PRODUCTS[id];
  document.title = `${product.name} | Argus Shop`;
  document.getElementById('product-title').textContent = product.name;
  document.getElementById('product-price').textContent = money(product.price);
  document.getElementById('product-blurb').textContent = product.blurb;
  document.querySelector('[data-product-id]').dataset.productId = id;
  document.querySelector('[data-testid="add-to-cart"]').addEventListener('click', () => addToCart(id));
  const response = await fetch(`/api/stock?id=${id}`);
  const { stock } = await response.json();
  const badge = document.createElement('p');
  badge.className = 'stock';
  badge.dataset.testid = 'stock-status';
  badge.textContent = stock > 0 ? `In stock (${stock} left)` : 'Out of stock';
  document.getElementById('stock-slot').append(badge);
}

function initCart() {
  const cart = readCart();
  const body = document.getElementById('cart-items');
  body.replaceChildren();
  for (const [id, qty] of Object.entries(cart)) {
    const product = PRODUCTS[id];
    const row = document.createElement('tr');
    row.className = 'cart-row css-7hq2lm';
    row.innerHTML = `<td class="item-name">${product.name}</td><td>${qty}</td><td>${money(product.price * qty)}</td>
      <td><button type="button" class="btn btn-link" aria-label="Remove ${product.name}">Remove</button></td>`;
    row.querySelector('button').addEventListener('click', () => {
      delete cart[id];
      writeCart(cart);
      initCart();
    });
    body.append(row);
  }
  const empty = Object.keys(cart).length === 0;
  document.getElementById('cart-empty').hidden = !empty;
  document.querySelectorAll('.checkout-button').forEach((b) => (b.disabled = empty));
  document.getElementById('order-total').textContent = `Order total: ${money(cartTotal(cart))}`;
}

function initCheckout() {
  const cart = readCart();
  document.getElementById('checkout-total').textContent = `Order total: ${money(cartTotal(cart))}`;
  const form = document.getElementById('checkout-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = form.elements.name.value.trim();
    const email = form.elements.email.value.trim();
    const emailError = document.getElementById('email-error');
    emailError.hidden = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email);
    if (!emailError.hidden || !name) return;
    writeCart({});
    form.hidden = true;
    const confirmation = document.getElementById('confirmation');
    confirmation.textContent = `Thanks, ${name}! Your order #1042 is confirmed.`;
    confirmation.hidden = false;
  });
}

function initLogin() {
  const form = document.getElementById('login-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const user = form.elements.username.value.trim();
    const ok = user !== '' && form.elements.password.value.length >= 6;
    document.getElementById('login-error').hidden = ok;
    if (ok) {
      form.hidden = true;
      const welcome = document.querySelector('[data-testid="welcome"]');
      welcome.textContent = `Welcome back, ${user}!`;
      welcome.hidden = false;
    }
  });
}

document.addEventListener('DOMContentLoaded', () => {
  updateCartCount();
  const init = { catalog: initCatalog, product: initProduct, cart: initCart, checkout: initCheckout, login: initLogin };
  init[document.body.dataset.page]?.();
});
