//! Small objectives with hand-written derivatives for the optim tests, so those tests depend on
//! nothing but this module (not on the expression parser or `Function`).

use super::Objective;

/// f = 3x² + xy + 2y²: a quadratic whose Hessian [[6, 1], [1, 4]] is not diagonal.
pub struct Quadratic2;

impl Quadratic2 {
    pub fn grad(x: f64, y: f64) -> [f64; 2] {
        [6.0 * x + y, x + 4.0 * y]
    }
}

impl Objective for Quadratic2 {
    fn dims(&self) -> usize {
        2
    }
    fn value(&self, p: &[f64]) -> f64 {
        3.0 * p[0] * p[0] + p[0] * p[1] + 2.0 * p[1] * p[1]
    }
    fn gradient(&self, p: &[f64], g: &mut [f64]) {
        g.copy_from_slice(&Quadratic2::grad(p[0], p[1]));
    }
    fn hessian(&self, _p: &[f64], h: &mut [f64]) {
        h.copy_from_slice(&[6.0, 1.0, 1.0, 4.0]);
    }
}

/// Rosenbrock's banana, (1-x)² + 100(y-x²)².
pub struct Rosenbrock;

impl Rosenbrock {
    pub fn grad(x: f64, y: f64) -> [f64; 2] {
        [
            -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
            200.0 * (y - x * x),
        ]
    }
    pub fn hess(x: f64, y: f64) -> [f64; 4] {
        let off = -400.0 * x;
        [2.0 - 400.0 * y + 1200.0 * x * x, off, off, 200.0]
    }
}

impl Objective for Rosenbrock {
    fn dims(&self) -> usize {
        2
    }
    fn value(&self, p: &[f64]) -> f64 {
        let (x, y) = (p[0], p[1]);
        (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
    }
    fn gradient(&self, p: &[f64], g: &mut [f64]) {
        g.copy_from_slice(&Rosenbrock::grad(p[0], p[1]));
    }
    fn hessian(&self, p: &[f64], h: &mut [f64]) {
        h.copy_from_slice(&Rosenbrock::hess(p[0], p[1]));
    }
}

/// f = x⁴/4 − x² + 1/2: a double well with minima at ±√2 and a maximum at 0.
pub struct Quartic1;

impl Quartic1 {
    pub fn grad(x: f64) -> f64 {
        x * x * x - 2.0 * x
    }
    pub fn hess(x: f64) -> f64 {
        3.0 * x * x - 2.0
    }
}

impl Objective for Quartic1 {
    fn dims(&self) -> usize {
        1
    }
    fn value(&self, p: &[f64]) -> f64 {
        let x = p[0];
        0.25 * x * x * x * x - x * x + 0.5
    }
    fn gradient(&self, p: &[f64], g: &mut [f64]) {
        g[0] = Quartic1::grad(p[0]);
    }
    fn hessian(&self, p: &[f64], h: &mut [f64]) {
        h[0] = Quartic1::hess(p[0]);
    }
}

/// f = x⁴: steep enough that a large step overflows within a few iterations.
pub struct PowerFour1;

impl Objective for PowerFour1 {
    fn dims(&self) -> usize {
        1
    }
    fn value(&self, p: &[f64]) -> f64 {
        p[0].powi(4)
    }
    fn gradient(&self, p: &[f64], g: &mut [f64]) {
        g[0] = 4.0 * p[0].powi(3);
    }
    fn hessian(&self, p: &[f64], h: &mut [f64]) {
        h[0] = 12.0 * p[0] * p[0];
    }
}

/// f = ln x: its value is NaN left of 0 while the point stays finite.
pub struct Log1;

impl Objective for Log1 {
    fn dims(&self) -> usize {
        1
    }
    fn value(&self, p: &[f64]) -> f64 {
        p[0].ln()
    }
    fn gradient(&self, p: &[f64], g: &mut [f64]) {
        g[0] = 1.0 / p[0];
    }
    fn hessian(&self, p: &[f64], h: &mut [f64]) {
        h[0] = -1.0 / (p[0] * p[0]);
    }
}

/// f = x + y: a plane, zero Hessian.
pub struct Flat2;

impl Objective for Flat2 {
    fn dims(&self) -> usize {
        2
    }
    fn value(&self, p: &[f64]) -> f64 {
        p[0] + p[1]
    }
    fn gradient(&self, _p: &[f64], g: &mut [f64]) {
        g.copy_from_slice(&[1.0, 1.0]);
    }
    fn hessian(&self, _p: &[f64], h: &mut [f64]) {
        h.fill(0.0);
    }
}

/// f = x² + 0·y: a trough, Hessian [[2, 0], [0, 0]] (non-zero yet singular).
pub struct Trough2;

impl Objective for Trough2 {
    fn dims(&self) -> usize {
        2
    }
    fn value(&self, p: &[f64]) -> f64 {
        p[0] * p[0]
    }
    fn gradient(&self, p: &[f64], g: &mut [f64]) {
        g.copy_from_slice(&[2.0 * p[0], 0.0]);
    }
    fn hessian(&self, _p: &[f64], h: &mut [f64]) {
        h.copy_from_slice(&[2.0, 0.0, 0.0, 0.0]);
    }
}

/// f = ½ (p − c)ᵀ A (p − c) in three variables, minimum at c = (1, −2, 3).
pub struct Quadratic3;

impl Quadratic3 {
    pub const A: [f64; 9] = [4.0, 1.0, 0.5, 1.0, 3.0, -1.0, 0.5, -1.0, 5.0];
    pub const MIN: [f64; 3] = [1.0, -2.0, 3.0];
}

impl Objective for Quadratic3 {
    fn dims(&self) -> usize {
        3
    }
    fn value(&self, p: &[f64]) -> f64 {
        let mut g = [0.0; 3];
        self.gradient(p, &mut g);
        0.5 * (0..3).map(|i| (p[i] - Self::MIN[i]) * g[i]).sum::<f64>()
    }
    fn gradient(&self, p: &[f64], g: &mut [f64]) {
        for (i, gi) in g.iter_mut().enumerate() {
            *gi = (0..3)
                .map(|k| Self::A[i * 3 + k] * (p[k] - Self::MIN[k]))
                .sum();
        }
    }
    fn hessian(&self, _p: &[f64], h: &mut [f64]) {
        h.copy_from_slice(&Self::A);
    }
}
