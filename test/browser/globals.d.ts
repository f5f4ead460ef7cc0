// Brings `window.citytwin` (declared by the client's automation module) into the tests' types.
import '../../client/src/app/automation';
// …and `window.citytwinBim` (the indoor/BIM viewer's hooks).
import '../../client/src/features/bim/bimAutomation';
