import { test, expect } from '@playwright/test';
import { CartPage } from './pages/cart-page';

test.describe('Checkout', () => {
  test('places an order', async ({ page }) => {
    await new CartPage(page).open({ p1: 1, p2: 1 });
    await page.goto('/checkout.html');
    await expect(page.getByTestId('checkout-total')).toHaveText('Order total: $42.00');

    await test.step('fill in shipping details', async () => {
      await page.getByLabel('Full name').fill('Ada Lovelace');
      await page.getByLabel('Email').fill('ada@example.com');
      await page.getByPlaceholder('Street, City').fill('12 St James Square, London');
      await page.getByLabel('This is a gift').check();
    });

    await test.step('submit the order', async () => {
      await page.getByRole('button', { name: 'Place order' }).click();
      await expect(page.getByRole('alert')).toHaveText('Thanks, Ada Lovelace! Your order #1042 is confirmed.');
    });
  });
});

test.describe('Account', () => {
  test('signs in', async ({ page }) => {
    await page.goto('/login.html');
    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password').fill('analytical-engine');
    await page.getByTestId('sign-in').click();
    await expect(page.getByTestId('welcome')).toHaveText('Welcome back, ada!');
    await expect(page.locator('#login-error')).toBeHidden();
  });
});
