// The project's specs: seed 002, buggy and fixed, into src/main/lockspec (lockspecRoot is the
// checkout, a script variable of the invoker's configuration).
def from = new File(lockspecRoot, 'spec-examples/002-aer-sriov')
def to = new File(basedir, 'src/main/lockspec')
to.mkdirs()
from.listFiles().findAll { it.name.endsWith('.lockspec') }.each { f ->
    new File(to, f.name).text = f.text
}
assert new File(to, 'buggy.lockspec').isFile()
return true
