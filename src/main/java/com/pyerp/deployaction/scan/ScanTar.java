package com.pyerp.deployaction.scan;

import com.pyerp.deployaction.imagefs.ImageSource;
import com.pyerp.deployaction.imagefs.TarImageSource;
import com.pyerp.deployaction.scan.inventory.Inventory;
import com.pyerp.deployaction.scan.inventory.Package;
import com.pyerp.deployaction.scan.osv.Finding;
import com.pyerp.deployaction.scan.osv.Matcher;
import com.pyerp.deployaction.scan.osv.OfflineOsv;
import com.pyerp.deployaction.scan.report.ScanTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The scanner on its own, for a local image tar ({@code docker save}, Jib's tar output, or an OCI layout):
 * {@code java -cp pyerp-deploy-action.jar com.pyerp.deployaction.scan.ScanTar IMAGE.tar [OSV-EXPORT]} prints the
 * inventory and, with an offline OSV export, every finding. scripts/bench/scan times it.
 */
public final class ScanTar {

    private ScanTar() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ScanTar IMAGE.tar [OSV-EXPORT(.zip or directory)]");
            System.exit(2);
        }
        Inventory inventory;
        try (ImageSource source = new TarImageSource(Path.of(args[0]))) {
            inventory = Inventory.read(source, System.err::println);
        }
        long python = inventory.packages().stream().filter(p -> p.type() == Package.Type.PYPI).count();
        System.out.printf("%s: %d OS packages, %d Python distributions; %d bytes of layers read in %d ms%n",
                inventory.os().known() ? inventory.os().distro() : "unknown OS", inventory.packages().size() - python, python,
                inventory.bytes(), inventory.elapsed().toMillis());
        if (args.length == 2) {
            List<Finding> findings = Matcher.findings(inventory.packages(), inventory.os(),
                    new OfflineOsv(Path.of(args[1])).candidates(Matcher.queries(inventory.packages(), inventory.os())));
            System.out.println(ScanTable.totals(findings));
            ScanTable.text(findings).forEach(System.out::println);
        }
    }
}
