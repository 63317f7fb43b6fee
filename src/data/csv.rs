//! Reads a data set from CSV text: a header of column names, then rows of finite numbers. Every
//! refusal names the line and the field (1-based) at fault, so a person can fix the file.

use std::io::Read;
use std::path::Path;

use super::table::{DataError, Table};

/// Most data rows a CSV may have (refused beyond, with the limit in the message).
pub const MAX_ROWS: usize = 1_000_000;
/// Most cells (rows × columns) a CSV may have.
pub const MAX_CELLS: usize = 20_000_000;
/// Largest file `read_csv` reads.
pub const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// Longest piece of a field quoted back in a message: a huge field must not make a huge message.
const QUOTE_CHARS: usize = 40;

/// Parses CSV text. `source_name` names it in errors. `reserved(name)` says whether a column name
/// clashes with the expression grammar (a function or constant name).
pub fn parse_csv(
    text: &str,
    source_name: &str,
    reserved: &dyn Fn(&str) -> bool,
) -> Result<Table, DataError> {
    parse_with_limits(text, source_name, reserved, MAX_ROWS, MAX_CELLS)
}

/// parse_csv with its limits as arguments, so that tests can reach them with small inputs.
fn parse_with_limits(
    text: &str,
    source_name: &str,
    reserved: &dyn Fn(&str) -> bool,
    max_rows: usize,
    max_cells: usize,
) -> Result<Table, DataError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Line numbers count every line, blank ones included, so they match an editor's.
    let mut lines = text.split('\n').enumerate().map(|(i, line)| {
        let line = line.strip_suffix('\r').unwrap_or(line);
        (i + 1, line)
    });
    let err = |line: usize, column: usize, message: String| {
        DataError::at(source_name, line, column, message)
    };

    let Some((header_line, header)) = lines.by_ref().find(|(_, l)| !l.trim_ascii().is_empty())
    else {
        return Err(err(
            1,
            1,
            "no header: the file is empty, and a CSV needs a header row of column names".into(),
        ));
    };
    let columns =
        parse_header(header, header_line, reserved).map_err(|(col, m)| err(header_line, col, m))?;
    let width = columns.len();
    if width > max_cells {
        return Err(err(
            header_line,
            max_cells + 1,
            format!("more than {max_cells} columns: the limit is {max_cells} cells in all"),
        ));
    }

    let mut values = Vec::new();
    let mut rows = 0usize;
    let mut last_line = header_line;
    for (number, line) in lines {
        if line.trim_ascii().is_empty() {
            continue;
        }
        last_line = number;
        if rows == max_rows {
            return Err(err(
                number,
                1,
                format!("more than {max_rows} data rows: the limit is {max_rows}"),
            ));
        }
        if (rows + 1).saturating_mul(width) > max_cells {
            return Err(err(
                number,
                1,
                format!(
                    "more than {max_cells} cells ({} rows of {width} columns): the limit is \
                     {max_cells}",
                    rows + 1
                ),
            ));
        }
        parse_row(line, &columns, &mut values).map_err(|(col, m)| err(number, col, m))?;
        rows += 1;
    }
    if rows == 0 {
        return Err(err(
            last_line + 1,
            1,
            format!(
                "no data rows: the header on line {header_line} is followed by no rows of numbers"
            ),
        ));
    }
    Table::new(source_name, columns, values)
}

/// Reads a file (refuses > MAX_BYTES before reading it all, says the size and the limit), then
/// parse_csv. A missing/unreadable file is a DataError naming the path and the OS error.
pub fn read_csv(path: &Path, reserved: &dyn Fn(&str) -> bool) -> Result<Table, DataError> {
    let source_name = path.display().to_string();
    let io_err = |e: std::io::Error| DataError::new(&source_name, format!("cannot read: {e}"));
    let too_big = |size: &str| {
        DataError::new(
            &source_name,
            format!("the file is {size}: the limit is {MAX_BYTES} bytes (256 MiB)"),
        )
    };
    let file = std::fs::File::open(path).map_err(io_err)?;
    let size = file.metadata().map_err(io_err)?.len();
    if size > MAX_BYTES {
        return Err(too_big(&format!("{size} bytes")));
    }
    // The size can lie (a pipe says 0, a file can grow), so the read itself stops past the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_big("over the limit"));
    }
    let text = std::str::from_utf8(&bytes).map_err(|e| not_utf8(&source_name, &bytes, &e))?;
    parse_csv(text, &source_name, reserved)
}

/// Places the first invalid byte at its line and field, as the parser would number them.
fn not_utf8(source_name: &str, bytes: &[u8], e: &std::str::Utf8Error) -> DataError {
    let at = e.valid_up_to();
    let before = bytes.get(..at).unwrap_or(bytes);
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let field = 1 + before
        .get(line_start..)
        .unwrap_or_default()
        .iter()
        .filter(|&&b| b == b',')
        .count();
    let byte = bytes.get(at).copied().unwrap_or_default();
    let hint = if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        " (the file looks like UTF-16: save it as UTF-8)"
    } else {
        ""
    };
    DataError::at(
        source_name,
        line,
        field,
        format!("not UTF-8 text: byte 0x{byte:02x} at byte offset {at}{hint}"),
    )
}

/// The header's column names, or the 1-based field at fault and why.
fn parse_header(
    line: &str,
    line_number: usize,
    reserved: &dyn Fn(&str) -> bool,
) -> Result<Vec<String>, (usize, String)> {
    let mut columns: Vec<String> = Vec::new();
    for (i, raw) in line.split(',').enumerate() {
        let col = i + 1;
        let field = raw.trim_ascii();
        check_quotes_and_cr(field, col)?;
        if field.is_empty() {
            return Err((
                col,
                format!("column {col} of the header has no name: every column needs one"),
            ));
        }
        if field.parse::<f64>().is_ok() {
            return Err((
                col,
                format!(
                    "line {line_number} looks like data, not a header: a CSV needs a header row \
                     of column names"
                ),
            ));
        }
        if !is_name(field) {
            let hint = if field.contains(['\t', ';']) {
                " (fields are separated by commas)"
            } else {
                ""
            };
            return Err((
                col,
                format!(
                    "column {col}'s name {} is not a name: a column name is an ASCII letter, then \
                     letters, digits or `_`{hint}",
                    quote(field)
                ),
            ));
        }
        if let Some(first) = columns.iter().position(|c| c == field) {
            return Err((
                col,
                format!(
                    "column {col} ({field}) has the same name as column {}: column names must \
                     be unique",
                    first + 1
                ),
            ));
        }
        if reserved(field) {
            return Err((
                col,
                format!(
                    "column {col} ({field}) clashes with the function or constant `{field}` of \
                     the expression grammar: rename the column"
                ),
            ));
        }
        columns.push(field.to_owned());
    }
    Ok(columns)
}

/// Appends one data row's values, or gives the 1-based field at fault and why.
fn parse_row(line: &str, columns: &[String], values: &mut Vec<f64>) -> Result<(), (usize, String)> {
    let width = columns.len();
    // Quotes first: a quoted field holding a comma would otherwise be reported as a ragged row.
    for (i, raw) in line.split(',').enumerate() {
        check_quotes_and_cr(raw.trim_ascii(), i + 1)?;
    }
    let found = line.split(',').count();
    if found != width {
        let (col, what) = if found < width {
            let name = columns.get(found).map_or("", String::as_str);
            (
                found + 1,
                format!("column {} ({name}) is missing", found + 1),
            )
        } else {
            (width + 1, format!("field {} has no column", width + 1))
        };
        return Err((
            col,
            format!("expected {width} fields (one per header column), found {found}: {what}"),
        ));
    }
    for ((i, raw), name) in line.split(',').enumerate().zip(columns) {
        let col = i + 1;
        let field = raw.trim_ascii();
        if field.is_empty() {
            return Err((
                col,
                format!("column {col} ({name}) is empty: expected a number"),
            ));
        }
        match field.parse::<f64>() {
            Ok(v) if v.is_finite() => values.push(v),
            // Rust reads "inf", "NaN", "infinity" and overflowing literals like 1e999; a loss over
            // them is meaningless, so they are refused rather than carried along.
            Ok(_) => {
                return Err((
                    col,
                    format!(
                        "{} in column {col} ({name}) is not a finite number",
                        quote(field)
                    ),
                ));
            }
            Err(_) => {
                return Err((
                    col,
                    format!("{} in column {col} ({name}) is not a number", quote(field)),
                ));
            }
        }
    }
    Ok(())
}

/// Quoted fields and lone carriage returns are refused before anything else reads the field.
fn check_quotes_and_cr(field: &str, col: usize) -> Result<(), (usize, String)> {
    if field.starts_with('"') {
        return Err((
            col,
            format!(
                "field {col} starts with a quote: quoted fields are not supported (write plain \
                 numbers and names)"
            ),
        ));
    }
    if field.contains('\r') {
        return Err((
            col,
            format!(
                "field {col} holds a carriage return: lines must end in \\n or \\r\\n, not a \
                 lone \\r"
            ),
        ));
    }
    Ok(())
}

/// A letter, then letters, digits or `_` (ASCII), as the expression grammar names a variable.
fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The field in double quotes with escapes, cut short if long.
fn quote(field: &str) -> String {
    match field.char_indices().nth(QUOTE_CHARS) {
        Some((cut, _)) => format!("{:?}…", &field[..cut]),
        None => format!("{field:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> bool {
        false
    }

    fn parse(text: &str) -> Result<Table, DataError> {
        parse_csv(text, "d.csv", &none)
    }

    /// The error's line, column and message, for the refusal tests.
    fn refusal(text: &str) -> (usize, usize, String) {
        let e = parse(text).expect_err("should be refused");
        assert_eq!(e.source_name, "d.csv");
        (
            e.line.expect("line known"),
            e.column.expect("column known"),
            e.message,
        )
    }

    #[test]
    fn good_csv_with_crlf_bom_spaces_and_blank_lines() {
        let text = "\u{feff} x , y_2 \r\n1, 2\r\n\r\n  -3.5 ,4e1\r\n\r\n\n  \n";
        let t = parse(text).unwrap();
        assert_eq!(t.name(), "d.csv");
        assert_eq!(t.columns(), &["x".to_string(), "y_2".to_string()][..]);
        assert_eq!(t.rows(), 2);
        assert_eq!(t.row(0), &[1.0, 2.0]);
        assert_eq!(t.row(1), &[-3.5, 40.0]);
    }

    #[test]
    fn no_trailing_newline_and_leading_blank_lines() {
        let t = parse("\n\na,b\n1,2").unwrap();
        assert_eq!(t.rows(), 1);
        assert_eq!(t.value(0, 1), 2.0);
    }

    #[test]
    fn empty_file_has_no_header() {
        for text in ["", "\u{feff}", "\n\n  \r\n"] {
            let (line, col, msg) = refusal(text);
            assert_eq!((line, col), (1, 1), "{text:?}");
            assert!(msg.contains("no header"), "{msg}");
        }
    }

    /// Refused at (line, column), the message holding each of `says`.
    fn refused_at(text: &str, at: (usize, usize), says: &[&str]) {
        let (line, column, message) = refusal(text);
        assert_eq!((line, column), at, "{text:?}: {message}");
        for part in says {
            assert!(message.contains(part), "{part:?} is not in: {message}");
        }
    }

    #[test]
    fn numeric_header_looks_like_data() {
        refused_at(
            "1,2\n3,4\n",
            (1, 1),
            &["line 1 looks like data, not a header"],
        );
        refused_at("\nx,2.5\n3,4\n", (2, 2), &[]);
    }

    #[test]
    fn bad_names_are_refused_at_their_field() {
        refused_at("x,a-b\n1,2\n", (1, 2), &["\"a-b\" is not a name"]);
        assert_eq!(refusal("x,_y\n1,2\n").1, 2);
        assert_eq!(refusal("x,θ\n1,2\n").1, 2);
        let (_, col, msg) = refusal("x,,y\n1,2,3\n");
        assert_eq!(col, 2);
        assert!(msg.contains("no name"), "{msg}");
        let (_, col, msg) = refusal("x\ty\n1\t2\n");
        assert_eq!(col, 1);
        assert!(msg.contains("separated by commas"), "{msg}");
    }

    #[test]
    fn duplicate_column_names() {
        refused_at("x,y,x\n1,2,3\n", (1, 3), &["(x)", "column 1"]);
    }

    #[test]
    fn reserved_column_names() {
        let reserved = |s: &str| s == "sin" || s == "pi";
        let e = parse_csv("x,pi\n1,2\n", "d.csv", &reserved).unwrap_err();
        assert_eq!((e.line, e.column), (Some(1), Some(2)));
        assert!(
            e.message
                .contains("clashes with the function or constant `pi`")
                && e.message.contains("rename the column"),
            "{}",
            e.message
        );
        assert_eq!(e.to_string().split(": ").next(), Some("d.csv:1:2"));
    }

    #[test]
    fn ragged_rows() {
        refused_at(
            "x,y,z\n1,2,3\n\n4,5\n",
            (4, 3),
            &["expected 3", "found 2", "(z)"],
        );
        refused_at(
            "x,y\r\n1,2\r\n3,4,5\r\n",
            (3, 3),
            &["expected 2", "found 3"],
        );
        // A lone comma is two empty fields.
        refused_at("x\n,\n", (2, 2), &[]);
    }

    #[test]
    fn fields_that_are_not_numbers() {
        refused_at("x,y\n1,2\n3,abc\n", (3, 2), &["\"abc\"", "(y)"]);
        refused_at("x,y\n1, \n", (2, 2), &["empty"]);
        assert_eq!(refusal("x,y\n0x10,2\n").1, 1);
        assert_eq!(refusal("x,y\n1,,\n").0, 2);
    }

    #[test]
    fn non_finite_numbers() {
        for bad in [
            "inf",
            "-inf",
            "NaN",
            "nan",
            "infinity",
            "+Infinity",
            "1e999",
        ] {
            let (line, col, msg) = refusal(&format!("x,y\n1,2\n{bad},3\n"));
            assert_eq!((line, col), (3, 1), "{bad}");
            assert!(
                msg.contains("not a finite number") && msg.contains("(x)"),
                "{msg}"
            );
        }
    }

    #[test]
    fn quotes_are_not_supported() {
        refused_at(
            "x,y\n1,\"2,5\"\n",
            (2, 2),
            &["quoted fields are not supported"],
        );
        refused_at("\"x\",y\n1,2\n", (1, 1), &[]);
    }

    #[test]
    fn lone_carriage_returns() {
        refused_at("x,y\r1,2\r", (1, 2), &["carriage return"]);
    }

    #[test]
    fn only_a_header_has_no_data_rows() {
        refused_at("x,y\n", (2, 1), &["no data rows"]);
        assert_eq!(refusal("\nx,y").0, 3);
        assert_eq!(refusal("x,y\n\n\n").0, 2);
    }

    #[test]
    fn too_many_rows_and_cells() {
        let limited = |text: &str| {
            let e = parse_with_limits(text, "d.csv", &none, 3, 8).unwrap_err();
            (e.line.unwrap(), e.column.unwrap(), e.message)
        };
        assert!(parse_with_limits("x\n1\n2\n3\n", "d.csv", &none, 3, 8).is_ok());
        let (line, col, msg) = limited("x\n1\n2\n\n3\n4\n");
        assert_eq!((line, col), (6, 1));
        assert!(msg.contains("more than 3 data rows"), "{msg}");
        // 3 columns: two rows fit in 8 cells, the third does not.
        let (line, col, msg) = limited("a,b,c\n1,2,3\n4,5,6\n7,8,9\n");
        assert_eq!((line, col), (4, 1));
        assert!(msg.contains("more than 8 cells"), "{msg}");
        let (line, col, _) = limited("a,b,c,d,e,f,g,h,i\n1,2,3,4,5,6,7,8,9\n");
        assert_eq!((line, col), (1, 9));

        // The public limit itself, once: a million and one rows of one column.
        let mut text = String::from("x\n");
        for _ in 0..=MAX_ROWS {
            text.push_str("1\n");
        }
        let (line, col, msg) = refusal(&text);
        assert_eq!((line, col), (MAX_ROWS + 2, 1));
        assert!(msg.contains("1000000"), "{msg}");
    }

    #[test]
    fn weird_input_never_panics() {
        // A long number that is finite (it underflows to 0), and a long one that overflows.
        let long = format!("0.{}1", "0".repeat(100_000));
        let huge = "9".repeat(100_000);
        let inputs = [
            ",".to_string(),
            ",,,\n,,,".to_string(),
            "x".to_string(),
            "x\n\u{feff}1".to_string(),
            format!("x\n{long}"),
            format!("x{long}\n1"),
            format!("x\n{huge}"),
            format!("x\n{}", "a".repeat(100_000)),
            "x\n1\n\0".to_string(),
            "é,x\n1,2".to_string(),
            "x,y\n1,2\n1,2,".to_string(),
            "\r\n\r".to_string(),
            "x\n-\n".to_string(),
            "x\n.\n".to_string(),
            "x\ne5\n".to_string(),
        ];
        for text in &inputs {
            let _ = parse(text);
        }
        assert!(parse(&format!("x\n{long}")).is_ok());
        let msg = parse(&format!("x\n{huge}")).unwrap_err().message;
        assert!(
            msg.contains("not a finite number") && msg.len() < 200,
            "{msg}"
        );
        let msg = parse(&format!("x\n{}", "a".repeat(100_000)))
            .unwrap_err()
            .message;
        assert!(msg.len() < 200, "long fields are cut short in messages");
    }

    #[test]
    fn read_csv_files() {
        let dir = std::env::temp_dir().join(format!("gradscape-csv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();

        let good = dir.join("good.csv");
        std::fs::write(&good, "x,y\n1,2\n").unwrap();
        let t = read_csv(&good, &none).unwrap();
        assert_eq!(t.name(), good.display().to_string());
        assert_eq!(t.rows(), 1);

        let missing = dir.join("missing.csv");
        let e = read_csv(&missing, &none).unwrap_err();
        assert_eq!(e.source_name, missing.display().to_string());
        assert_eq!((e.line, e.column), (None, None));
        assert!(e.message.contains("os error"), "{}", e.message);

        let latin1 = dir.join("latin1.csv");
        std::fs::write(&latin1, b"x,y\n1,2\n3,\xe9\n").unwrap();
        let e = read_csv(&latin1, &none).unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(2)));
        assert!(e.message.contains("UTF-8"), "{}", e.message);

        let utf16 = dir.join("utf16.csv");
        std::fs::write(&utf16, b"\xff\xfex\x00").unwrap();
        let e = read_csv(&utf16, &none).unwrap_err();
        assert_eq!((e.line, e.column), (Some(1), Some(1)));
        assert!(e.message.contains("UTF-16"), "{}", e.message);

        // A sparse file over the limit is refused from its size, before any reading.
        let big = dir.join("big.csv");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_BYTES + 1)
            .unwrap();
        let e = read_csv(&big, &none).unwrap_err();
        assert!(
            e.message.contains(&(MAX_BYTES + 1).to_string())
                && e.message.contains(&MAX_BYTES.to_string()),
            "{}",
            e.message
        );

        std::fs::remove_dir_all(&dir).unwrap();
    }
}
