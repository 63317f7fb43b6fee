//! Lets optimizers descend a typed [`Function`]: f, ∇f and H from its compiled f64 programs.

use super::Objective;
use crate::function::Function;

impl Objective for Function {
    fn dims(&self) -> usize {
        Function::dims(self)
    }

    fn value(&self, point: &[f64]) -> f64 {
        Function::value(self, point)
    }

    fn gradient(&self, point: &[f64], grad: &mut [f64]) {
        let (_, g) = self.value_and_gradient(point);
        for (dst, v) in grad.iter_mut().zip(g) {
            *dst = v;
        }
    }

    fn value_and_gradient(&self, point: &[f64], grad: &mut [f64]) -> f64 {
        let (value, g) = Function::value_and_gradient(self, point);
        for (dst, v) in grad.iter_mut().zip(g) {
            *dst = v;
        }
        value
    }

    fn hessian(&self, point: &[f64], hess: &mut [f64]) {
        for (dst, v) in hess.iter_mut().zip(Function::hessian(self, point)) {
            *dst = v;
        }
    }

    fn data_rows(&self) -> Option<usize> {
        Function::data_rows(self)
    }

    fn batch_value_and_gradient(&self, point: &[f64], rows: &[u32], grad: &mut [f64]) -> f64 {
        let (value, g) = Function::batch_value_and_gradient(self, point, rows);
        for (dst, v) in grad.iter_mut().zip(g) {
            *dst = v;
        }
        value
    }

    fn batch_hessian(&self, point: &[f64], rows: &[u32], hess: &mut [f64]) {
        for (dst, v) in hess
            .iter_mut()
            .zip(Function::batch_hessian(self, point, rows))
        {
            *dst = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{Hyperparameters, OptimizerKind, Status, run};

    #[test]
    fn notebook_descent_from_a_quarter_rolls_to_sqrt_2() {
        let f = Function::parse("1/4*x^4 - x^2 + 1/2").unwrap();
        let hyper = Hyperparameters::new(OptimizerKind::Sgd, 0.01);
        for (start, target) in [(0.25, 2f64.sqrt()), (-0.25, -(2f64.sqrt()))] {
            let t = run(&f, &hyper, &[start], 200, None).unwrap();
            assert_eq!(t.status, Status::MaxSteps);
            assert_eq!(t.steps.len(), 201);
            let xs: Vec<f64> = t.steps.iter().map(|s| s.point[0]).collect();
            for w in xs.windows(2) {
                assert!((w[1] - w[0]) * start.signum() > 0.0, "not monotone: {w:?}");
            }
            let last = xs[200];
            assert!((last - target).abs() < 0.05, "{last} vs {target}");
            assert!(
                last.abs() < target.abs(),
                "sgd with a small lr never overshoots here"
            );
        }
    }

    #[test]
    fn newton_on_a_typed_quadratic_lands_in_one_step() {
        let f = Function::parse("3x^2 + x y + 2y^2 - 4x + y").unwrap();
        let hyper = Hyperparameters::new(OptimizerKind::Newton, 1.0);
        let t = run(&f, &hyper, &[5.0, -7.0], 1, None).unwrap();
        let g = f.gradient(&t.steps[1].point);
        assert!(g.iter().all(|v| v.abs() < 1e-12), "{g:?}");
    }
}
