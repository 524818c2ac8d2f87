import unittest

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


@pytest.mark.usefixtures("browser_for_unittest")
class LoginTest(unittest.TestCase):
    USERNAME = (By.ID, "username")
    PASSWORD = (By.NAME, "password")
    SIGN_IN = (By.CSS_SELECTOR, "[data-testid='sign-in']")
    WELCOME = (By.CSS_SELECTOR, "[data-testid='welcome']")

    def test_sign_in(self):
        self.driver.get(f"{self.base_url}/login.html")
        self.driver.find_element(*self.USERNAME).send_keys("ada")
        self.driver.find_element(*self.PASSWORD).send_keys("analytical-engine")
        self.driver.find_element(*self.SIGN_IN).click()
        welcome = WebDriverWait(self.driver, 5).until(EC.visibility_of_element_located(self.WELCOME))
        self.assertEqual(welcome.text, "Welcome back, ada!")
        self.assertFalse(self.driver.find_element(By.ID, "login-error").is_displayed())
