//! A data set in memory (named numeric columns, row-major f64 values) and the error every data
//! source reports, located by file, line and column so that a person can find the fault.

use std::fmt;

/// A data set in memory: named numeric columns, row-major f64 values.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    name: String,
    columns: Vec<String>,
    values: Vec<f64>,
    rows: usize,
}

impl Table {
    /// Errors (DataError) if columns is empty, values.len() != rows*columns.len(), or rows == 0.
    pub fn new(
        name: impl Into<String>,
        columns: Vec<String>,
        values: Vec<f64>,
    ) -> Result<Table, DataError> {
        let name = name.into();
        if columns.is_empty() {
            return Err(DataError::new(&name, "a table needs at least one column"));
        }
        let width = columns.len();
        if !values.len().is_multiple_of(width) {
            return Err(DataError::new(
                &name,
                format!(
                    "{} values do not fill rows of {width} columns",
                    values.len()
                ),
            ));
        }
        let rows = values.len() / width;
        if rows == 0 {
            return Err(DataError::new(&name, "a table needs at least one row"));
        }
        Ok(Table {
            name,
            columns,
            values,
            rows,
        })
    }

    /// "linear", "iris", or the file's path as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// Panics if row or col is out of range (a caller's bug, never the data's).
    pub fn value(&self, row: usize, col: usize) -> f64 {
        assert!(col < self.columns.len(), "column {col} out of range");
        self.values[row * self.columns.len() + col]
    }

    /// One column's values, top to bottom. Panics if col is out of range.
    pub fn column(&self, col: usize) -> Vec<f64> {
        assert!(col < self.columns.len(), "column {col} out of range");
        self.values
            .chunks_exact(self.columns.len())
            .map(|row| row[col])
            .collect()
    }

    /// One row's values, in column order. Panics if row is out of range.
    pub fn row(&self, row: usize) -> &[f64] {
        let width = self.columns.len();
        &self.values[row * width..(row + 1) * width]
    }

    /// Per column: name, min, max, mean (f64), for `gradscape data`.
    pub fn summary(&self) -> Vec<ColumnSummary> {
        (0..self.columns.len())
            .map(|col| {
                let (mut min, mut max, mut sum) = (f64::INFINITY, f64::NEG_INFINITY, 0.0);
                for row in self.values.chunks_exact(self.columns.len()) {
                    let v = row[col];
                    min = min.min(v);
                    max = max.max(v);
                    sum += v;
                }
                ColumnSummary {
                    name: self.columns[col].clone(),
                    min,
                    max,
                    mean: sum / self.rows as f64,
                }
            })
            .collect()
    }
}

/// One column's range and mean, as `gradscape data` prints it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ColumnSummary {
    pub name: String,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
}

/// Why a data set could not be read or built, and where: `source_name` is the file's path as given
/// (or the built-in set's name); line and column (the 1-based field index) when the fault has one.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
#[error("{}: {}", self.location(), self.message)]
pub struct DataError {
    pub source_name: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl DataError {
    /// An error about the whole source, with no line or column.
    pub fn new(source_name: &str, message: impl Into<String>) -> DataError {
        DataError {
            source_name: source_name.to_owned(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// An error at a line and column (both 1-based).
    pub fn at(
        source_name: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> DataError {
        DataError {
            line: Some(line),
            column: Some(column),
            ..DataError::new(source_name, message)
        }
    }

    /// "FILE:LINE:COL", "FILE:LINE" or "FILE", as compilers print a location.
    fn location(&self) -> Location<'_> {
        Location(self)
    }
}

/// Formats the location without allocating a String for it.
struct Location<'a>(&'a DataError);

impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.0;
        match (e.line, e.column) {
            (Some(line), Some(column)) => write!(f, "{}:{line}:{column}", e.source_name),
            (Some(line), None) => write!(f, "{}:{line}", e.source_name),
            _ => write!(f, "{}", e.source_name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn new_checks_shape() {
        assert!(Table::new("t", vec![], vec![]).is_err());
        assert!(Table::new("t", names(&["a", "b"]), vec![1.0, 2.0, 3.0]).is_err());
        assert!(Table::new("t", names(&["a", "b"]), vec![]).is_err());
        let t = Table::new("t", names(&["a", "b"]), vec![1.0, 2.0, 3.0, 4.0]).unwrap();
        assert_eq!(t.rows(), 2);
        assert_eq!(t.name(), "t");
        assert_eq!(t.columns(), &names(&["a", "b"])[..]);
    }

    #[test]
    fn access_by_row_and_column() {
        let t = Table::new(
            "t",
            names(&["a", "b", "c"]),
            (0..6).map(f64::from).collect(),
        )
        .unwrap();
        assert_eq!(t.column_index("b"), Some(1));
        assert_eq!(t.column_index("z"), None);
        assert_eq!(t.value(1, 2), 5.0);
        assert_eq!(t.column(1), vec![1.0, 4.0]);
        assert_eq!(t.row(1), &[3.0, 4.0, 5.0]);
    }

    #[test]
    fn summary_by_hand() {
        // a: 2, -1, 5 → min -1, max 5, mean 2; b: 0.5, 0.5, 2 → mean 1.
        let t = Table::new("t", names(&["a", "b"]), vec![2.0, 0.5, -1.0, 0.5, 5.0, 2.0]).unwrap();
        let s = t.summary();
        assert_eq!(
            s,
            vec![
                ColumnSummary {
                    name: "a".into(),
                    min: -1.0,
                    max: 5.0,
                    mean: 2.0
                },
                ColumnSummary {
                    name: "b".into(),
                    min: 0.5,
                    max: 2.0,
                    mean: 1.0
                },
            ]
        );
    }

    #[test]
    fn error_display_names_what_is_known() {
        let mut e = DataError::at("d.csv", 3, 2, "bad");
        assert_eq!(e.to_string(), "d.csv:3:2: bad");
        e.column = None;
        assert_eq!(e.to_string(), "d.csv:3: bad");
        e.line = None;
        assert_eq!(e.to_string(), "d.csv: bad");
    }
}
