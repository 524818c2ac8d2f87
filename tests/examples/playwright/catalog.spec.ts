import { test, expect } from '@playwright/test';

test.describe('Catalog', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/');
  });

  test('lists the products and the promo banner @smoke', async ({ page }) => {
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Products');
    await expect(page.locator('.product-card')).toHaveCount(4);
    // The banner slides in after the page settles.
    await page.waitForTimeout(1000);
    await expect(page.locator('#promo-banner')).toBeVisible();
    await expect(page.locator('#promo-banner')).toHaveText('Free shipping on orders over $50');
  });

  test('adds a product to the cart', async ({ page }) => {
    await page.locator('button.add-to-cart').first().click();
    await expect(page.getByTestId('cart-count')).toHaveText('1');
    await expect(page.locator('#toast')).toHaveText('Added Trail Runner to your cart');
  });

  test('opens the product details', async ({ page }) => {
    await page.locator('.product-grid > article:nth-child(2) a').click();
    await expect(page).toHaveURL(/product\.html\?id=p2/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Canvas Backpack');
  });

  test('shows stock availability', async ({ page }) => {
    await page.goto('/product.html?id=p3');
    await expect(page.locator('#product-title')).toHaveText('Steel Water Bottle');
    await expect(page.getByTestId('stock-status')).toBeVisible({ timeout: 1500 });
    await expect(page.getByTestId('stock-status')).toHaveText('In stock (7 left)');
  });
});
