//! Finding and reading the schema files named on the command line.

use std::path::{Path, PathBuf};

use lognorm::RegistryBuilder;

/// The schema files a `--schema` or `check` argument names: the file
/// itself, or a directory's `*.yml` and `*.yaml` files (not its
/// subdirectories') in file-name order, less the test files
/// (`*.tests.yml`, see [`is_test_file`]) that may sit beside them.
///
/// # Errors
///
/// When the directory cannot be read, or holds no schema file: a
/// directory with nothing to load is a mistake, not an empty success.
pub(crate) fn files(arg: &Path) -> Result<Vec<PathBuf>, String> {
    if !arg.is_dir() {
        return Ok(vec![arg.to_owned()]);
    }
    let io = |e: std::io::Error| {
        format!("reading schema directory `{}`: {e}", arg.display())
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(arg).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let yaml = path.extension().is_some_and(|e| e == "yml" || e == "yaml");
        if yaml && !is_test_file(&path) && path.is_file() {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(format!(
            "schema directory `{}`: expected `*.yml` or `*.yaml` files, \
             found none",
            arg.display()
        ));
    }
    files.sort();
    Ok(files)
}

/// Whether `path` names a `pantherlog test` file: `*.tests.yml` or
/// `*.tests.yaml`.
pub(crate) fn is_test_file(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
        n.ends_with(".tests.yml") || n.ends_with(".tests.yaml")
    })
}

/// Reads one schema file and adds it to `builder`.
///
/// # Errors
///
/// The schema's own error (`file:line:column: path: message`), or an I/O
/// error naming the file.
pub(crate) fn add(
    builder: &mut RegistryBuilder,
    file: &Path,
) -> Result<(), String> {
    let name = file.display().to_string();
    let yaml = std::fs::read_to_string(file)
        .map_err(|e| format!("reading `{name}`: {e}"))?;
    builder.add_yaml(&name, &yaml).map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir()
            .join(format!("lognorm-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_directory_gives_its_yaml_files_in_name_order() {
        let dir = scratch_dir("sorted");
        for f in ["b.yaml", "a.yml", "notes.txt", "c.yml.bak", "a.tests.yml"] {
            std::fs::write(dir.join(f), "").unwrap();
        }
        std::fs::create_dir(dir.join("sub.yml")).unwrap();
        let found = files(&dir).unwrap();
        assert_eq!(found, [dir.join("a.yml"), dir.join("b.yaml")]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_directory_without_schemas_is_an_error() {
        let dir = scratch_dir("empty");
        std::fs::write(dir.join("README.md"), "").unwrap();
        assert_eq!(
            files(&dir).unwrap_err(),
            format!(
                "schema directory `{}`: expected `*.yml` or `*.yaml` \
                 files, found none",
                dir.display()
            )
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_is_itself_even_when_missing() {
        // Reading it names it (`add`); listing does not touch it.
        let path = Path::new("no/such/schema.yml");
        assert_eq!(files(path).unwrap(), [path]);
        let mut b = lognorm::Registry::builder();
        assert_eq!(
            add(&mut b, path).unwrap_err(),
            "reading `no/such/schema.yml`: No such file or directory \
             (os error 2)"
        );
    }
}
