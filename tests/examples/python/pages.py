from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


class CartPage:
    HEADING = (By.CSS_SELECTOR, "main h1")
    ROWS = (By.CSS_SELECTOR, "#cart-items tr")
    TOTAL = (By.ID, "order-total")
    CHECKOUT = (By.XPATH, "//button[normalize-space()='Proceed to checkout']")

    def __init__(self, driver, base_url):
        self.driver = driver
        self.base_url = base_url

    def open(self, items):
        """Stores `items` as the shop's cart, then opens the cart page."""
        self.driver.get(f"{self.base_url}/index.html")
        self.driver.execute_script(
            "localStorage.setItem('argus-cart', JSON.stringify(arguments[0]));", items
        )
        self.driver.get(f"{self.base_url}/cart.html")
        WebDriverWait(self.driver, 5).until(EC.visibility_of_element_located(self.HEADING))
        return self

    def rows(self):
        return self.driver.find_elements(*self.ROWS)

    def total_text(self):
        return self.driver.find_element(*self.TOTAL).text
