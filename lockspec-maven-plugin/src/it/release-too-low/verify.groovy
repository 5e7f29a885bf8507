// The build failed in lockspec:generate, saying what the project compiles at and what to set,
// and nothing was generated.
def log = new File(basedir, 'build.log').text
assert log.contains('lockspec: the generated Java needs Java 14 or newer (switch expressions), but this project compiles at Java 8 (maven-compiler-plugin\'s default: nothing sets a release or source); set <maven.compiler.release>21</maven.compiler.release> in the pom\'s <properties>')
assert !new File(basedir, 'target/generated-sources/lockspec').exists()
return true
