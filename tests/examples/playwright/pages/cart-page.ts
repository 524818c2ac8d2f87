import { type Locator, type Page } from '@playwright/test';

export type CartContents = Record<string, number>;

export class CartPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly rows: Locator;
  readonly total: Locator;
  readonly checkout: Locator;
  readonly emptyMessage: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { name: 'Your cart' });
    this.rows = page.locator('#cart-items tr');
    this.total = page.getByTestId('order-total');
    this.checkout = page.getByRole('button', { name: 'Proceed to checkout' });
    this.emptyMessage = page.getByText('Your cart is empty.');
  }

  /** Puts `items` in the cart (as the shop stores it) and opens the cart page. */
  async open(items: CartContents) {
    await this.page.goto('/index.html');
    await this.page.evaluate((cart) => localStorage.setItem('argus-cart', JSON.stringify(cart)), items);
    await this.page.goto('/cart.html');
  }

  async remove(productName: string) {
    await this.page.getByRole('button', { name: `Remove ${productName}` }).click();
  }
}
