describe('Shop', () => {
  beforeEach(() => {
    cy.visit('/');
  });

  it('shows the promo banner', () => {
    cy.get('h1').should('have.text', 'Products');
    cy.wait(500);
    cy.get('#promo-banner').should('be.visible').and('have.text', 'Free shipping on orders over $50');
  });

  it('adds a product to the cart', () => {
    cy.get('button.add-to-cart').first().click();
    cy.get('[data-testid="cart-count"]').should('have.text', '1');
    cy.contains('Added Trail Runner to your cart');
  });

  it('shows the order total', () => {
    cy.window().then((win) => {
      win.localStorage.setItem('argus-cart', JSON.stringify({ p1: 1, p2: 1 }));
    });
    cy.visit('/cart.html');
    cy.get('#cart-items tr').should('have.length', 2);
    cy.get('[data-testid="order-total"]').should('have.text', 'Total: $42.00');
    cy.contains('button', 'Proceed to checkout').click();
  });

  it('signs in', () => {
    cy.contains('a', 'Sign in').click();
    cy.get('#username').type('ada');
    cy.get('input[name="password"]').type('analytical-engine');
    cy.get('[data-testid="sign-in"]').click();
    cy.get('[data-testid="welcome"]').should('have.text', 'Welcome back, ada!');
  });
});
