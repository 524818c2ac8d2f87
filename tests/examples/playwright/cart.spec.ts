import { test, expect } from '@playwright/test';
import { CartPage } from './pages/cart-page';

test.describe('Cart', () => {
  let cartPage: CartPage;

  test.beforeEach(async ({ page }) => {
    cartPage = new CartPage(page);
    await cartPage.open({ p1: 1, p2: 1 });
  });

  test('shows the order total', async () => {
    await test.step('cart lists both items', async () => {
      await expect(cartPage.heading).toBeVisible();
      await expect(cartPage.rows).toHaveCount(2);
    });
    await test.step('total adds up', async () => {
      await expect(cartPage.total).toHaveText('Total: $42.00');
    });
  });

  test('proceeds to checkout', async ({ page }) => {
    await test.step('click checkout', async () => {
      await cartPage.checkout.click();
    });
    await expect(page).toHaveURL(/checkout\.html/);
    await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();
  });
});
