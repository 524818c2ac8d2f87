import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from pages import CartPage


@pytest.mark.smoke
def test_home_shows_promo_banner(driver, base_url):
    driver.get(base_url)
    banner = WebDriverWait(driver, 5).until(
        EC.visibility_of_element_located((By.ID, "promo-banner"))
    )
    assert banner.text == "Free shipping on orders over $50"
    assert len(driver.find_elements(By.CSS_SELECTOR, ".product-card")) == 4


def test_add_to_cart(driver, base_url):
    driver.get(base_url)
    driver.find_element(By.CSS_SELECTOR, "button.add-to-cart").click()
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid='cart-count']").text == "1"


@pytest.mark.parametrize(
    "product_id, name",
    [("p1", "Trail Runner"), ("p2", "Canvas Backpack")],
)
def test_product_page_title(driver, base_url, product_id, name):
    driver.get(f"{base_url}/product.html?id={product_id}")
    time.sleep(1)  # wait for the page script to fill in the product
    assert driver.find_element(By.ID, "product-title").text == name
    assert driver.title == f"{name} | Argus Shop"


def test_stock_badge(driver, base_url):
    driver.get(f"{base_url}/product.html?id=p3")
    badge = WebDriverWait(driver, 2).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid='stock-status']"))
    )
    assert badge.text == "In stock (7 left)"


def test_cart_total(driver, base_url):
    cart = CartPage(driver, base_url).open({"p1": 1, "p2": 1})
    assert len(cart.rows()) == 2
    assert cart.total_text() == "Total: $42.00"
